"""Chinese wording shared by every part of jixiao."""

from __future__ import annotations

import errno

_OS_REASONS = {
    errno.ENOENT: "文件或目录不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有操作权限",
    errno.EISDIR: "是目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
    errno.EEXIST: "文件已存在",
    errno.ENAMETOOLONG: "文件名太长",
}


def os_reason(err: OSError) -> str:
    """Why a file could not be read or written, in Chinese (the system's words otherwise)."""
    if err.errno in _OS_REASONS:
        return _OS_REASONS[err.errno]
    return err.strerror or type(err).__name__
