"""The API gateway: the only door for the app, officers and agencies."""
