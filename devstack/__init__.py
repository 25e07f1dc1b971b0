"""The local stack: moto (in a process of its own), a local API Gateway (WebSocket + REST) and demo data.

Nothing here is deployed: `chalice package` ships app.py and chalicelib/ only.
"""
