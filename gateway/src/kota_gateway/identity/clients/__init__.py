"""Agency clients: other agencies' systems calling the API with OAuth2 client credentials."""
