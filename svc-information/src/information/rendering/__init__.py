"""What each notice says on each channel: templates kept as code, rendered in a sandbox, SMS
parts counted, personal numbers masked (see docs/information.md, "Notices and templates")."""

from information.rendering.templates import (
    Rendered,
    TemplateFault,
    TemplateMissing,
    WhatsAppMessage,
    render,
)

__all__ = ["Rendered", "TemplateFault", "TemplateMissing", "WhatsAppMessage", "render"]
