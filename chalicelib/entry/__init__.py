"""Where an invocation comes in: a WebSocket frame or a REST request is parsed, routed to its
action handler, and its errors answered in one shape."""
