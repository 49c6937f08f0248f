"""Identity: citizens, officers, their passwords and the tokens the gateway issues them."""
