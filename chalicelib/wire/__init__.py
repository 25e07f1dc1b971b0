"""The wire: what clients send and receive, as pydantic models.

`actions` holds a model per inbound WebSocket action, `events` a model per outbound event,
`rest` the REST bodies and replies; `base` the parsing and validation both APIs share.
docs/protocol.md is the prose version of this package, and tests hold the two together.
"""
