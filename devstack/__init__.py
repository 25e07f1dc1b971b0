"""The local stack: moto in-process, a local API Gateway (WebSocket + REST) and demo data.

Nothing here is deployed: `chalice package` ships app.py and chalicelib/ only.
"""
