"""Test support shared by every service: real infrastructure, test tokens, in-process apps."""
