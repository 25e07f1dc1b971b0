"""Domain operations: what the desk does, reusable by actions, jobs and REST alike. They
change state through chalicelib.data and announce it through chalicelib.notify; they never
read a request or decide who may make it (chalicelib.actions does)."""
