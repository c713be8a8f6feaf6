"""Build a reproducible py3-none-any wheel of the stdlib-only triage package (for Pyodide)."""

from __future__ import annotations

import base64
import hashlib
import pathlib
import zipfile

import triage

_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same sources give the same bytes


def wheel_name() -> str:
    return f"triage-{triage.__version__}-py3-none-any.whl"


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def build_wheel(out_dir: pathlib.Path, package_dir: pathlib.Path | None = None) -> pathlib.Path:
    """Write the wheel into out_dir and return its path."""
    package_dir = package_dir or pathlib.Path(triage.__file__).parent
    version = triage.__version__
    dist_info = f"triage-{version}.dist-info"
    files: list[tuple[str, bytes]] = []
    for path in sorted(package_dir.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        files.append((f"triage/{path.relative_to(package_dir).as_posix()}", path.read_bytes()))
    metadata = (
        f"Metadata-Version: 2.1\nName: triage\nVersion: {version}\n"
        "Summary: Route a hosting customer's situation to a support channel and compose a draft.\n"
        "Requires-Python: >=3.11\n"
    ).encode()
    wheel_meta = (
        b"Wheel-Version: 1.0\nGenerator: sitebuild.browser_assets.wheel\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files += [(f"{dist_info}/METADATA", metadata), (f"{dist_info}/WHEEL", wheel_meta)]
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in files)
    record += f"{dist_info}/RECORD,,\n"
    files.append((f"{dist_info}/RECORD", record.encode()))
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / wheel_name()
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    tmp.replace(target)
    return target
