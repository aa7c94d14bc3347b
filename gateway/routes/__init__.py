"""One route module per public service of the registry (gateway/routes/<service>.py: its `router`,
its API under /v1/<service>/; `pages`, if it has any, under /<service>/), each with its typed
client of the service; terminal.py is the gateway's own. gateway/app.py includes them."""
