"""The package for the print shop: dist/goi-in-<date>.zip.

It holds the print files, imposed files and job tickets of the jobs asked
for, one folder per piece: with no names every job of the run (each
commune's and household's files included), with a piece's name all its
variants, with `<piece>--<variant>` that one. Beside them the manifest of
just those jobs, a SHA256SUMS file and a one-page README in Vietnamese.

Nothing stale reaches the shop. The run is planned afresh (its pieces
composed, not rendered); each job's inputs must have the bytes, and its
composed HTML the hash, that the manifest recorded when its files were
built, and every file must still have the bytes the manifest lists; a piece edited
since its build, a rebuild that failed and left old files, or shards made
from different revisions are refused by name with "build it again".

The zip is reproducible: named by the run's clock (SOURCE_DATE_EPOCH, else
the latest date of the pieces in it), fixed entry times, order and
permissions. An earlier package in dist/ is moved to dist/old/.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
import textwrap
import zipfile
from pathlib import Path

from .. import __version__
from ..atomic import write_atomic
from ..clock import build_date, epoch_date
from ..content.site import load_site
from ..i18n import msg
from ..press.words import copies
from ..problems import ContentError, Problem, error
from ..project import Project
from ..vi import short_date
from .hashes import file_hash, forget_file_hashes
from .manifest import FORMAT, composed_hash, piece_of, read_manifest
from .plan import Job, named, plan

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: the time is not part of the content
PACKAGE_GLOB = "goi-in-*.zip"
# The README and its labels are for the print shop, in Vietnamese whatever the builder's language.
KIND_LABELS = {"print": "tệp in, từng trang theo thứ tự đọc (PDF/X-4, CMYK)",
               "imposed": "tệp bình trang đóng ghim giữa (PDF/X-4, CMYK)",
               "ticket": "phiếu yêu cầu in (PDF)", "ticket-json": "phiếu yêu cầu in (JSON, cho máy)"}

README = """GÓI TỆP IN – {office}
{sample}
Gói này gồm các tệp để in và phiếu yêu cầu in của {count} lệnh in, mỗi ấn phẩm
một thư mục. Ấn phẩm làm riêng cho từng xã, phường hoặc từng hộ có một tệp in
và một phiếu riêng cho mỗi nơi: in đúng số lượng ghi trên phiếu của tệp đó.
Ngày của đợt in: {day}.

CÁC TỆP
{files}

THIẾT LẬP MÀU
- Mọi tệp in là PDF/X-4, hệ màu CMYK. Hồ sơ màu đầu ra (OutputIntent) được
  nhúng sẵn trong từng tệp: in theo đúng điều kiện ghi trong tệp và trong
  phiếu yêu cầu in (FOGRA39: giấy tráng phủ; FOGRA29: giấy không tráng phủ).
  Xin không chuyển đổi màu lại.
- Chữ và đường kẻ đen là 100 % K, đặt in chồng. Chữ trắng không in chồng.
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

SAMPLE_ALL = ("Mọi tệp trong gói này được làm với dữ liệu mẫu (tên, địa chỉ, số điện thoại tự đặt, "
              "không phải thật). Xin chưa in và liên hệ đơn vị đặt in để nhận bản có dữ liệu thật.")
SAMPLE_SOME = ("Các tệp sau được làm với dữ liệu mẫu (tên, địa chỉ, số điện thoại tự đặt, không phải "
               "thật): {pieces}. Xin chưa in các tệp đó và liên hệ đơn vị đặt in để nhận bản có dữ liệu "
               "thật.")


def package(project: Project, names: list[str] | tuple[str, ...] = ()) -> Path:
    """Write dist/goi-in-<date>.zip for the jobs named (every job of the run when none are).

    Raises ContentError naming every job that is not built, not current or
    whose files changed, and writes nothing then.
    """
    forget_file_hashes()
    entries = read_manifest(project)
    the_plan = plan(project)
    problems: list[Problem] = list(p for p in the_plan.problems if p.is_error)
    jobs = _chosen(project, the_plan.jobs, names, problems)
    files: dict[str, bytes] = {}
    chosen: dict[str, dict] = {}
    for job in jobs:
        entry = entries.get(job.name)
        why = _stale(project, job, entry)
        if why is not None:
            problems.append(error(job.source, None, why))
            continue
        for output in entry["outputs"]:
            path = project.root / output["file"]
            try:
                data = path.read_bytes()
            except OSError:
                data = None
            if data is None or hashlib.sha256(data).hexdigest() != output.get("sha256"):
                problems.append(error(path, None, msg("{name}: changed or missing since it was built: build "
                                                      "it again (python build.py build {name}), then make "
                                                      "the package", name=job.name)))
                continue
            files[f"{piece_of(job.name, entry)}/{path.name}"] = data
        chosen[job.name] = entry
    if problems:
        raise ContentError(problems)
    if not files:
        raise ContentError([error(None, None, msg("nothing to package: build the pieces first"))])
    manifest = {"format": FORMAT, "tool": f"leaflets {__version__}", "pieces": chosen}
    files["manifest.json"] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(files.items())
                   if name != "manifest.json")
    files["SHA256SUMS"] = sums.encode()
    day = run_date(chosen)
    files["README.txt"] = _readme(project, chosen, files, day).encode()
    target = project.dist / f"goi-in-{day.isoformat()}.zip"
    data = _zip(files)
    _retire_packages(project, target, data)
    write_atomic(target, data)
    return target


def run_date(entries: dict[str, dict]) -> dt.date:
    """The run's clock: SOURCE_DATE_EPOCH, else the latest date of its pieces, else today."""
    fixed = epoch_date()
    if fixed is not None:
        return fixed
    dates = []
    for entry in entries.values():
        try:
            dates.append(dt.date.fromisoformat(str(entry.get("date"))))
        except ValueError:
            continue
    return max(dates) if dates else build_date()


def _chosen(project: Project, jobs: list[Job], names, problems: list[Problem]) -> list[Job]:
    """The jobs for the names given: all of them, a piece's (all its variants), or one variant's."""
    if not names:
        return list(jobs)
    by_name = {job.name: job for job in jobs}
    chosen: list[Job] = []
    for name in names:
        stem, wrong = named(project, name)
        if wrong:
            problems.append(error(None, None, wrong))
            continue
        found = [by_name[stem]] if stem in by_name else [j for j in jobs if j.source.stem == stem]
        if not found:
            problems.append(error(None, None, msg(
                "nothing named {name!r} to package; pieces and variants of the run: {known}", name=name,
                known=", ".join(sorted(by_name)) or msg("none"))))
        chosen += [job for job in found if job not in chosen]
    return chosen


def _stale(project: Project, job: Job, entry: dict | None):
    """Why a job's files may not go to the shop (a message), or None when they are current.

    Current: every input has the bytes it had when the files were built, and
    the piece composes to the same HTML (the same record, the same standard
    in force). A new version of the tool alone does not make files stale.
    """
    broken = [p for p in job.problems if p.is_error and not p.code]
    if job.composed is None or broken:
        reason = broken[0].message if broken else msg("it cannot be composed")
        return msg("{name}: cannot be checked against its build ({reason}): fix it and build it again",
                   name=job.name, reason=reason)
    if entry is None:
        return msg("{name}: not built yet: run python build.py build {name} first", name=job.name)
    recorded = {i.get("path"): i.get("sha256") for i in entry.get("inputs", []) if isinstance(i, dict)}
    now = {project.relative(path): file_hash(path) for path in job.composed.inputs}
    changed = sorted(path for path in set(recorded) | set(now) if recorded.get(path) != now.get(path))
    if changed:
        more = f" (+{len(changed) - 1})" if len(changed) > 1 else ""
        return msg("{name}: {file}{more} changed since its files were built: build it again "
                   "(python build.py build {name}), then make the package", name=job.name,
                   file=changed[0], more=more)
    if entry.get("composed") != composed_hash(job):
        return msg("{name}: its text or data changed since its files were built: build it again "
                   "(python build.py build {name}), then make the package", name=job.name)
    return None


def _retire_packages(project: Project, target: Path, data: bytes) -> None:
    """Earlier packages leave dist/ for dist/old/: only the newest is there to send."""
    for path in sorted(project.dist.glob(PACKAGE_GLOB)):
        if path == target and path.read_bytes() == data:
            continue
        old = project.dist / "old"
        old.mkdir(parents=True, exist_ok=True)
        moved, number = old / path.name, 1
        while moved.exists():
            number += 1
            moved = old / f"{path.stem}.{number}{path.suffix}"
        shutil.move(path, moved)


def _readme(project: Project, entries: dict, files: dict[str, bytes], day) -> str:
    try:
        agency = load_site(project).values.get("agency") or {}
    except ContentError:
        agency = {}
    lines, samples = [], []
    by_piece: dict[str, list[tuple[str, dict]]] = {}
    for name, entry in entries.items():
        by_piece.setdefault(piece_of(name, entry), []).append((name, entry))
    for piece, jobs in by_piece.items():
        first = jobs[0][1]
        title = first.get("title") or piece
        if first.get("variant"):
            total = sum(e.get("quantity") or 0 for _n, e in jobs)
            lines.append(f"- {piece}/ (lần {first.get('revision', '?')}): {len(jobs)} phiên bản"
                         + (f", tổng {copies(total)}" if total else "") + ":")
        else:
            lines.append(f"- {piece}/: {title} (lần {first.get('revision', '?')})"
                         + (f", {copies(first['quantity'])}" if first.get("quantity") else "") + ":")
        for name, entry in jobs:
            indent = "    "
            if entry.get("variant"):
                quantity = f", {copies(entry['quantity'])}" if entry.get("quantity") else ""
                lines.append(f"    {entry['variant'].get('name') or name}: {entry.get('title') or title}"
                             f"{quantity}")
                indent = "        "
            for output in entry["outputs"]:
                label = KIND_LABELS.get(output["kind"], output["kind"])
                lines.append(f"{indent}{Path(output['file']).name}: {label}")
            if _has_samples(entry, files, piece):
                samples.append(entry["variant"].get("name") if entry.get("variant") else piece)
    contact = "; ".join(str(v) for v in (agency.get("name"), agency.get("address"), agency.get("phone"),
                                         agency.get("email")) if v) or "—"
    sample = ""
    if samples:
        text = SAMPLE_ALL if len(samples) == len(entries) else SAMPLE_SOME.format(pieces=", ".join(samples))
        sample = "\n!!! CHƯA ĐƯỢC IN: GÓI NÀY CÓ DỮ LIỆU MẪU !!!\n" + textwrap.fill(text, 78) + "\n"
    return README.format(office=agency.get("name", ""), sample=sample, count=len(entries),
                         day=short_date(day), files="\n".join(lines), contact=contact)


def _has_samples(entry: dict, files: dict[str, bytes], piece: str) -> bool:
    """Whether the job's ticket says it was made with sample data."""
    for output in entry["outputs"]:
        if output["kind"] == "ticket-json":
            try:
                ticket = json.loads(files[f"{piece}/{Path(output['file']).name}"].decode("utf-8"))
            except (KeyError, ValueError):
                return False
            return bool(ticket.get("sample_data"))
    return False


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
