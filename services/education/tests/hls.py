"""Short HLS test streams, made with FFmpeg's own libraries (the `av` wheel bundles them: Debian's
ffmpeg binary cannot be installed here): a tone in AAC, and for video a moving test card in
H.264, cut into MPEG-TS segments with an HLS playlist, as the operator's media platform serves
them. `served(folder)` serves a folder over real HTTP. Run alone to make one:
`python -m education.tests.hls DIR [SECONDS] [--video]`."""

from __future__ import annotations

import contextlib
import fractions
import functools
import pathlib
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import av
import numpy as np

RATE = 44100
FRAME = 1024
FPS = 10


def make_stream(folder: pathlib.Path, seconds: float = 6.0, video: bool = False, segment: int = 2) -> pathlib.Path:
    """`folder`/index.m3u8 and its segments (`segment` seconds each); returns the playlist's path."""
    folder.mkdir(parents=True, exist_ok=True)
    playlist = folder / "index.m3u8"
    options = {"hls_time": str(segment), "hls_playlist_type": "vod", "hls_segment_filename": str(folder / "seg%03d.ts")}
    with av.open(str(playlist), "w", format="hls", options=options) as out:
        audio = out.add_stream("aac", rate=RATE)
        audio.layout = "mono"
        picture = None
        if video:
            picture = out.add_stream("libx264", rate=FPS)
            picture.width, picture.height, picture.pix_fmt = 160, 90, "yuv420p"
            picture.codec_context.gop_size = FPS * segment  # a keyframe per segment: segments cut there
        samples = int(seconds * RATE)
        for start in range(0, samples, FRAME):
            t = np.arange(start, min(start + FRAME, samples))
            tone = (0.3 * np.sin(2 * np.pi * 440 * t / RATE)).astype(np.float32).reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(tone, format="flt", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = RATE, start, fractions.Fraction(1, RATE)
            out.mux(audio.encode(frame))
        out.mux(audio.encode(None))
        if picture is not None:
            for i in range(int(seconds * FPS)):
                card = np.zeros((90, 160, 3), dtype=np.uint8)
                card[:, (i * 4) % 160 :: 40] = 255  # bars that move: each frame differs
                frame = av.VideoFrame.from_ndarray(card, format="rgb24")
                frame.pts, frame.time_base = i, fractions.Fraction(1, FPS)
                out.mux(picture.encode(frame))
            out.mux(picture.encode(None))
    return playlist


def decoded_seconds(url: str) -> float:
    """How many seconds of audio a player decodes from an HLS playlist (read through FFmpeg's HLS demuxer)."""
    with av.open(url, timeout=10) as stream:
        audio = stream.streams.audio[0]
        return sum(frame.samples for frame in stream.decode(audio)) / audio.rate


@contextlib.contextmanager
def served(folder: pathlib.Path) -> Iterator[str]:
    """The folder over HTTP on 127.0.0.1: yields its base URL."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    made = make_stream(pathlib.Path(args[0]), float(args[1]) if len(args) > 1 else 6.0, "--video" in sys.argv)
    print(made)
