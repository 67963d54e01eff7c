"""Word 97-2003 (.doc), WPS (.wps) and OpenDocument text (.odt) to .docx through LibreOffice.

``soffice --headless --convert-to docx`` runs in a temporary directory of its own (the
input, the output and a private user profile, so parallel conversions never share one),
in a new process group that is killed whole when the time limit (``max_convert_seconds``
of :mod:`jixiao.limits`) passes; its address space is capped as the importers' children
are (:mod:`jixiao.isolation`). The .docx it writes is then read like any other, limits
included. LibreOffice Writer is the Debian package ``libreoffice-writer-nogui``.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from jixiao.ingest.errors import IngestError
from jixiao.limits import current

MEMORY_MB = 2048  # soffice's own address space (it maps far more than it uses)
KINDS = {
    "doc": ("Word 97-2003 文档（.doc）或 WPS 文字文档（.wps）", "doc"),
    "odt": ("OpenDocument 文本（.odt）", "odt"),
}
INSTALL_HINT = "需要 LibreOffice（Debian 软件包 libreoffice-writer-nogui）"


def soffice() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _limit_memory() -> None:  # pragma: no cover - runs in the child before exec
    import resource

    memory = MEMORY_MB * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft > memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, hard))


def convert_to_docx(data: bytes, name: str, kind: str) -> bytes:
    """The bytes of a .doc/.wps (``kind`` "doc") or .odt ("odt") file converted to .docx;
    :class:`IngestError` in Chinese, naming the file, when LibreOffice is missing, fails or
    takes longer than the limit."""
    what, suffix = KINDS[kind]
    program = soffice()
    if program is None:
        raise IngestError(
            f"{name}: 是{what}，读取它{INSTALL_HINT}，本机未安装；"
            "请安装后再导入，或在 Word/WPS 中另存为 .docx 后导入"
        )
    seconds = current().max_convert_seconds
    with tempfile.TemporaryDirectory(prefix="jixiao-soffice-") as tmp:
        folder = Path(tmp)
        source = folder / f"input.{suffix}"
        source.write_bytes(data)
        out = folder / "out"
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nologo",
            *("--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source)),
        ]
        env = {**os.environ, "HOME": tmp, "TMPDIR": tmp}
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            cwd=tmp,
            env=env,
            start_new_session=True,  # its own process group, killed whole
            preexec_fn=_limit_memory,  # the importers run single-threaded (CLI, isolation child)
        )
        try:
            output, _ = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise IngestError(
                f"{name}: 用 LibreOffice 转换{what}超过 {seconds} 秒仍未完成，已停止"
                "（文件可能异常或过大；可在 Word/WPS 中另存为 .docx 后导入）"
            ) from None
        finally:
            if process.poll() is None:  # pragma: no cover - only if communicate failed
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        converted = out / "input.docx"
        if process.returncode != 0 or not converted.is_file():
            detail = output.decode("utf-8", "replace").strip().splitlines()
            reason = detail[-1][:200] if detail else f"退出码 {process.returncode}"
            raise IngestError(
                f"{name}: LibreOffice 无法把这个{what}转换为 .docx（{reason}）；"
                "文件可能已损坏，或不是它看起来的格式"
            )
        return converted.read_bytes()
