"""Message templates registered with the simulated WhatsApp Business Account.

Meta sends a template message only for a template it approved: it fills the body's
``{{1}}``, ``{{2}}``… with the parameters, in order, and refuses a send with the wrong
number of them. The simulator approves every template at once; a send of a template it
knows is checked and rendered, so its inbox shows the text the citizen reads.
"""

import re
import secrets
import threading
from dataclasses import dataclass

from kota_notifysim.whatsapp_schemas import TemplateCreate

PLACEHOLDER = re.compile(r"\{\{(\d+)\}\}")


@dataclass(frozen=True)
class Template:
    id: str
    definition: TemplateCreate

    @property
    def parameter_count(self) -> int:
        body = self.definition.body() or ""
        return max((int(n) for n in PLACEHOLDER.findall(body)), default=0)

    def render(self, parameters: tuple[str, ...]) -> str:
        """The body filled in; ``parameters`` must number `parameter_count`."""
        body = self.definition.body() or ""
        return PLACEHOLDER.sub(lambda match: parameters[int(match.group(1)) - 1], body)


class AlreadyRegistered(Exception):
    pass


class Templates:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._templates: dict[tuple[str, str], Template] = {}

    def register(self, definition: TemplateCreate) -> Template:
        key = (definition.name, definition.language)
        with self._lock:
            if key in self._templates:
                raise AlreadyRegistered(key)
            template = Template(id=str(secrets.randbelow(10**15) + 10**15), definition=definition)
            self._templates[key] = template
            return template

    def find(self, name: str, language: str) -> Template | None:
        with self._lock:
            return self._templates.get((name, language))

    def listed(self) -> list[Template]:
        with self._lock:
            return list(self._templates.values())

    def delete(self, name: str) -> int:
        """Delete the template in every language, as Meta's delete by name does."""
        with self._lock:
            keys = [key for key in self._templates if key[0] == name]
            for key in keys:
                del self._templates[key]
            return len(keys)

    def clear(self) -> None:
        with self._lock:
            self._templates.clear()
