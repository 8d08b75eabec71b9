"""The package for the print shop: dist/goi-in-<date>.zip.

It holds the print files, imposed files and job tickets of the pieces asked
for (all current pieces by default), the manifest of just those, a
SHA256SUMS file and a one-page README in Vietnamese. It is made from
dist/manifest.json and refuses a file whose bytes are no longer the ones
the manifest lists: what goes to the shop is exactly what was built and
checked. A deleted piece's old files never go in. The zip is reproducible:
fixed entry times, a fixed order, fixed permissions.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from ..atomic import write_atomic
from ..clock import build_date
from ..content.site import load_site
from ..i18n import msg
from ..problems import ContentError, Problem, error
from ..project import Project
from .hashes import forget_file_hashes
from .manifest import FORMAT, read_manifest
from .plan import named

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: the time is not part of the content
# The README and its labels are for the print shop, in Vietnamese whatever the builder's language.
KIND_LABELS = {"print": "tệp in, từng trang theo thứ tự đọc (PDF/X-4, CMYK)",
               "imposed": "tệp bình trang đóng ghim giữa (PDF/X-4, CMYK)",
               "ticket": "phiếu yêu cầu in (PDF)", "ticket-json": "phiếu yêu cầu in (JSON, cho máy)"}

README = """GÓI TỆP IN – {office}

Gói này gồm các tệp để in và phiếu yêu cầu in của từng ấn phẩm.

CÁC TỆP
{files}

THIẾT LẬP MÀU
- Mọi tệp in là PDF/X-4, hệ màu CMYK. Hồ sơ màu đầu ra (output intent) được
  nhúng sẵn trong từng tệp: in theo đúng điều kiện ghi trong tệp và trong
  phiếu yêu cầu in (FOGRA39: giấy tráng phủ; FOGRA29: giấy không tráng phủ).
  Xin không chuyển đổi màu lại.
- Chữ và đường kẻ đen là 100 % K, đặt in chồng (overprint). Chữ trắng không
  in chồng.
- Tổng lượng mực đã được kiểm tra không vượt giới hạn của giấy.
- Mỗi trang có TrimBox (khổ thành phẩm) và BleedBox (chừa xén); dấu cắt, dấu
  gấp và dòng thông tin nằm ngoài vùng chừa xén.

KIỂM TRA TỆP NHẬN ĐƯỢC
Mã SHA-256 của mọi tệp có trong SHA256SUMS, manifest.json và phiếu yêu cầu in.
Trên Linux hoặc macOS:   sha256sum -c SHA256SUMS
Trên Windows (PowerShell): Get-FileHash <tệp> -Algorithm SHA256
Mã phải trùng khớp hoàn toàn; nếu khác, xin báo lại đơn vị đặt in.

LIÊN HỆ
{contact}
"""


def package(project: Project, names: list[str] | tuple[str, ...] = ()) -> Path:
    """Write dist/goi-in-<date>.zip for the pieces named (all current ones when none are)."""
    forget_file_hashes()
    pieces = read_manifest(project)
    current = {path.stem for path in project.piece_files()}
    problems: list[Problem] = []
    wanted = []
    for name in names or sorted(current):
        stem, wrong = named(project, name)
        if wrong:
            problems.append(error(None, None, wrong))
        elif stem not in current:
            problems.append(error(None, None, msg("no piece named {name!r} in content/pieces/", name=name)))
        elif stem not in pieces:
            problems.append(error(project.pieces_dir / f"{stem}.md", None,
                                  msg("not built yet: run `python build.py build` first")))
        else:
            wanted.append(stem)
    files: dict[str, bytes] = {}
    for name in wanted:
        for output in pieces[name]["outputs"]:
            path = project.root / output["file"]
            try:
                data = path.read_bytes()
            except OSError:
                data = None
            if data is None or hashlib.sha256(data).hexdigest() != output.get("sha256"):
                problems.append(error(path, None, msg("changed or missing since it was built: build the "
                                                      "piece again, then make the package")))
                continue
            files[f"{name}/{path.name}"] = data
    if problems:
        raise ContentError(problems)
    if not files:
        raise ContentError([error(None, None, msg("nothing to package: build the pieces first"))])
    chosen = {name: pieces[name] for name in wanted}
    files["manifest.json"] = (json.dumps({"format": FORMAT, "pieces": chosen}, ensure_ascii=False,
                                         indent=2) + "\n").encode()
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
                   if name != "manifest.json")
    files["SHA256SUMS"] = sums.encode()
    files["README.txt"] = _readme(project, chosen).encode()
    target = project.dist / f"goi-in-{build_date().isoformat()}.zip"
    write_atomic(target, _zip(files))
    return target


def _readme(project: Project, pieces: dict) -> str:
    try:
        agency = load_site(project).values.get("agency") or {}
    except ContentError:
        agency = {}
    lines = []
    for name, entry in pieces.items():
        lines.append(f"- {entry.get('title') or name} (lần {entry.get('revision', '?')}), thư mục {name}/:")
        for output in entry["outputs"]:
            label = KIND_LABELS.get(output["kind"], output["kind"])
            lines.append(f"    {Path(output['file']).name}: {label}")
    contact = "; ".join(str(v) for v in (agency.get("name"), agency.get("address"), agency.get("phone"),
                                         agency.get("email")) if v) or "—"
    return README.format(office=agency.get("name", ""), files="\n".join(lines), contact=contact)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
