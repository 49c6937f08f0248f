"""``python -m kota_notifysim``: serve the simulator on ``NOTIFYSIM_HOST``:``NOTIFYSIM_PORT``."""

import uvicorn

from kota_notifysim.config import NotifysimSettings
from kota_notifysim.main import create_app

if __name__ == "__main__":
    settings = NotifysimSettings()
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, server_header=False)
