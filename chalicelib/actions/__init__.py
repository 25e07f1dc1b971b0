"""Action handlers: one function per WebSocket action or REST route. Each checks and
authorises what its caller asked for, then calls domain operations to do it."""
