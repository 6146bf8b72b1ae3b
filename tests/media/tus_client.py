"""A real tus client (tuspy), run as its own process by test_tuspy.py.

python tus_client.py start  ENDPOINT TOKEN FILE CHUNK   → prints the upload URL, then
                                                         each offset the server acknowledged
python tus_client.py resume URL      TOKEN FILE CHUNK   → finishes the upload
"""

import sys

from tusclient.client import TusClient
from tusclient.uploader import Uploader

mode, where, token, path, chunk = sys.argv[1:6]
headers = {"Authorization": f"Bearer {token}"}
if mode == "start":
    client = TusClient(where, headers=headers)
    uploader = client.uploader(path, chunk_size=int(chunk), metadata={"title": "Killed midway"})
    uploader.set_url(uploader.create_url())
    print(uploader.url, flush=True)
    while uploader.offset < uploader.get_file_size():
        uploader.upload_chunk()
        print(uploader.offset, flush=True)
else:
    client = TusClient(where.rsplit("/", 2)[0] + "/", headers=headers)
    uploader = Uploader(path, url=where, client=client, chunk_size=int(chunk))
    print(f"resuming at {uploader.offset}", flush=True)
    uploader.upload()
    print(uploader.offset, flush=True)
