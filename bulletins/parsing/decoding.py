"""From a file's bytes to text: encoding detection, binary and empty files refused; the script is kept as printed."""

from __future__ import annotations

from .results import ParseError
from .text import CONTROL_RE, normalise_newlines

# Characters common in bulletins in both scripts: used to choose between GB and Big5
# when both decode without error (one of them then yields mojibake).
_COMMON_HAN = frozenset(
    "的一是在不了有和人中大上年月日十字会會红紅省市县縣工作开開展救护護为為全各级級动動志愿願服务務党黨"
    "会议議学學习習组組织織发發部长長主席开开社区區活民生命健康献獻血捐赠贈"
)


def decode_bytes(data: bytes) -> str:
    """Decode an uploaded file to text, or raise ParseError saying why not.

    UTF-8 is tried first because it is strict: if it decodes, it is right.  GB18030
    and Big5 are both permissive, so when both decode the one with more common
    Chinese characters wins; charset_normalizer handles everything else.
    """
    if not data:
        raise ParseError("文件为空")
    text = _decode(data)
    text = normalise_newlines(text)
    if not text.strip():
        raise ParseError("文件为空（只有空白字符）")
    if _looks_binary(text):
        raise ParseError("不是文本文件（二进制内容）")
    return text


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16")
    if b"\x00" in data:
        raise ParseError("不是文本文件（二进制内容）")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            candidates.append(data.decode(encoding))
        except UnicodeDecodeError:
            continue
    if candidates:
        return max(candidates, key=lambda t: sum(ch in _COMMON_HAN for ch in t))
    from charset_normalizer import from_bytes  # imported lazily: only odd files need it

    best = from_bytes(data).best()
    if best is None:
        raise ParseError("无法识别的编码")
    return str(best)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ParseError("无法识别的编码") from exc


def _looks_binary(text: str) -> bool:
    """NUL or a high share of control characters means this was never a text file."""
    if "\x00" in text:
        return True
    sample = text[:4096]
    controls = len(CONTROL_RE.findall(sample))
    return controls > max(8, len(sample) // 20)
