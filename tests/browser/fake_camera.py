"""A fake camera for chromium: a Y4M video (what `--use-file-for-fake-video-capture` plays in a
loop) of a picture held in front of the lens, made with Pillow alone (no ffmpeg)."""
from __future__ import annotations

import base64
import io
from pathlib import Path

from PIL import Image, ImageDraw

FRAME_SIZE = (640, 480)  # width, height: even, as 4:2:0 chroma needs


def image_from_data_uri(uri: str) -> Image.Image:
    """The picture of a `data:image/png;base64,…` URI (a pass's QR code as the page shows it)."""
    header, _, payload = uri.partition(",")
    assert header.startswith("data:image/") and header.endswith(";base64"), header
    return Image.open(io.BytesIO(base64.b64decode(payload))).convert("RGB")


def phone_frames(picture: Image.Image, count: int = 8, size: tuple[int, int] = FRAME_SIZE) -> list[Image.Image]:
    """`count` frames of `picture` shown on a phone screen in the middle of the view, about half
    the frame's height, drifting by a few pixels from frame to frame as a hand holds it."""
    width, height = size
    side = height // 2
    shown = picture.resize((side, side), Image.Resampling.NEAREST)  # keep the modules sharp
    frames = []
    for index in range(count):
        frame = Image.new("RGB", size, (92, 98, 110))  # a desk, out of focus
        dx, dy = (index % 3) - 1, (index % 2)
        left, top = (width - side) // 2 + dx, (height - side) // 2 + dy
        ImageDraw.Draw(frame).rounded_rectangle((left - 24, top - 40, left + side + 24, top + side + 60), radius=28,
                                                fill=(20, 20, 24))  # the phone around the screen
        frame.paste(shown, (left, top))
        frames.append(frame)
    return frames


def write_y4m(frames: list[Image.Image], path: Path, fps: int = 10) -> Path:
    """Write `frames` (RGB, same even size) as an uncompressed YUV 4:2:0 Y4M file."""
    width, height = frames[0].size
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in frames:
            y, cb, cr = frame.convert("YCbCr").split()
            half = (width // 2, height // 2)
            out.write(b"FRAME\n")
            out.write(y.tobytes())
            out.write(cb.resize(half, Image.Resampling.BILINEAR).tobytes())
            out.write(cr.resize(half, Image.Resampling.BILINEAR).tobytes())
    return path
