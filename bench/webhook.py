"""A price morning at the webhook: 32 members' phones sending signed Thai events at once, for a fixed time.

The bot runs as production runs it (gunicorn, `bot:create_app()`, the Procfile's 4 workers of 4 threads,
`gthread`), beside two floors served the same way in the same run (bench/floors.py): a bare Flask app that only
checks the signature, and the least a bot does with the same libraries (the SDK's parser, one insert and one
select, the SDK's reply). LINE is a local API in its own process that answers every call after 80 ms, as LINE a
network away does; it is asyncio, so that it spends next to no CPU of its own. The phones are one asyncio process
too; each member sends their next message when the bot has answered the last (LINE keeps one member's events in
order).

Prints, for each app: events/s, latency p50/p95/p99, errors, memory per worker; the bot's ratio to both floors;
how many replies LINE received and whether a sample of them is valid by LINE's rules (bot/sandbox/rules.py); how
long a member waits for a reply (their event sent to its reply at LINE: the webhook answers before the reply goes);
and the in-process cost of one event, from the webhook body to the reply's JSON, p50 and p99.

Runs on a throwaway SQLite file, and also on PostgreSQL when BENCH_DATABASE_URL names a database of your own
(its public schema is dropped). The Thai reader's model is kept in a folder of the run's own (BENCH_CACHE, default
under /tmp). Loopback only; stops by itself.
  .venv/bin/python bench/webhook.py [--seconds 10] [--threads 4] [--workers 4] [--phones 32] [--only bot]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import multiprocessing
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")

SECRET, TOKEN = "bench-channel-secret", "bench-access-token"
LINE_DELAY = 0.080
WARM_UP = 3.0
# What members send on a price morning: the price, their orders, the open rounds, a greeting.
PHRASES = [
    "ราคายางวันนี้เท่าไหร่ครับ", "น้ำยางวันนี้กิโลละเท่าไร", "ราคายางแผ่นดิบวันนี้", "ราคาน้ำยางวันนี้",
    "ของที่ฉันสั่งไว้มีอะไรบ้าง", "ดูรายการสั่งของฉัน",
    "ตอนนี้มีรอบสั่งซื้ออะไรเปิดอยู่บ้าง", "มีรอบสั่งอาหารหมูไหม",
    "สวัสดีครับ", "หวัดดีจ้า",
]
GOALS = {"events_per_second": 500, "p99": 0.300, "of_bare": 0.15, "worker_mb": 200, "in_process_p50": 0.005}


# ---------------------------------------------------------------- LINE, a network away
def serve_line(conn: Connection, delay: float) -> None:
    """The Messaging API's replies and profiles, answered after `delay`; keeps a sample of reply bodies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    counts = {"reply": 0, "profile": 0, "other": 0}
    sample: list[bytes] = []
    arrived: list[tuple[str, float, int]] = []  # each reply that reached LINE: its token, when, how many messages

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request_line = await reader.readline()
                if not request_line:
                    return
                path = request_line.split(b" ")[1].decode()
                length = 0
                while (header := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = header.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                body = await reader.readexactly(length) if length else b""
                if path.endswith("/message/reply"):
                    reply = json.loads(body)
                    arrived.append((reply["replyToken"], time.monotonic(), len(reply["messages"])))
                await asyncio.sleep(delay)
                if path.endswith("/message/reply"):
                    counts["reply"] += 1
                    if len(sample) < 300:
                        sample.append(body)
                    out = b'{"sentMessages":[{"id":"1","quoteToken":"q"}]}'
                elif "/profile/" in path:
                    counts["profile"] += 1
                    out = json.dumps({"userId": path.rsplit("/", 1)[1], "displayName": "สมาชิก",
                                      "language": "th"}).encode()
                else:
                    counts["other"] += 1
                    out = b"{}"
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                             % (len(out), out))
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(answer, "127.0.0.1", 0, backlog=1024)
        conn.send(server.sockets[0].getsockname()[1])
        loop = asyncio.get_running_loop()
        while True:
            if await loop.run_in_executor(None, conn.poll, 0.2):
                message = conn.recv()
                if message == "stop":
                    break
                conn.send((dict(counts), list(sample), list(arrived)))
                counts.update(reply=0, profile=0, other=0)
                sample.clear()
                arrived.clear()
        server.close()

    asyncio.run(main())


# ---------------------------------------------------------------- the phones
def _signed(user: str, text: str, reply_token: str = "") -> bytes:
    event = {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
             "source": {"type": "user", "userId": user}, "webhookEventId": uuid.uuid4().hex.upper()[:26],
             "deliveryContext": {"isRedelivery": False}, "replyToken": reply_token or uuid.uuid4().hex,
             "message": {"type": "text", "id": str(random.randrange(10**17, 10**18)), "quoteToken": "q",
                         "text": text}}
    body = json.dumps({"destination": "Ubot", "events": [event]}, ensure_ascii=False).encode()
    signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest())
    return (b"POST /callback HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nx-line-signature: "
            + signature + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def phones(conn: Connection, port: int, users: list[list[str]], seconds: float) -> None:
    """Each phone sends, waits for the 200, sends again (for its members in turn, when it has more than one);
    latencies of those sent after the warm-up, and each event the webhook took: its member, its reply token, when
    it was sent (time.monotonic, one clock for every process of the machine), whether after the warm-up."""
    latencies: list[float] = []
    errors: dict[str, int] = {}
    answered: list[tuple[str, str, float, bool]] = []

    async def phone(members: list[str], start: float, end: float) -> None:
        rng = random.Random(members[0])
        reader: asyncio.StreamReader | None = None
        writer: asyncio.StreamWriter | None = None
        turn = 0
        while (now := time.perf_counter()) < end:
            token = uuid.uuid4().hex
            member = members[turn % len(members)]
            request = _signed(member, rng.choice(PHRASES), token)
            turn += 1
            sent, sent_clock = time.perf_counter(), time.monotonic()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection("127.0.0.1", port)
                assert reader is not None
                writer.write(request)
                status = await asyncio.wait_for(reader.readline(), 30)
                length, close = 0, False
                while (header := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = header.partition(b":")
                    name = name.strip().lower()
                    if name == b"content-length":
                        length = int(value)
                    elif name == b"connection" and value.strip().lower() == b"close":
                        close = True
                if length:
                    await reader.readexactly(length)
                code = status.split(b" ")[1].decode() if status else "closed"
            except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
                code, close = type(exc).__name__, True
            if code != "200":
                errors[code] = errors.get(code, 0) + 1
            else:
                if now >= start:
                    latencies.append(time.perf_counter() - sent)
                answered.append((member, token, sent_clock, now >= start))
            if close and writer is not None:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    async def main() -> None:
        begin = time.perf_counter()
        await asyncio.gather(*(phone(members, begin + WARM_UP, begin + WARM_UP + seconds) for members in users))

    asyncio.run(main())
    conn.send((latencies, errors, answered))


# ---------------------------------------------------------------- gunicorn
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def gunicorn(spec: str, env: dict[str, str], workers: int, threads: int) -> Iterator[tuple[int, int]]:
    port = _free_port()
    command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers), "--threads", str(threads),
               "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--backlog", "2048", spec]
    log = tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log")  # noqa: SIM115
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
                              stdout=subprocess.DEVNULL, stderr=log, text=True)
    try:
        deadline = time.monotonic() + 60
        while len(_children(server.pid)) < workers or not _listening(port):
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise SystemExit(f"gunicorn {spec} did not start: {log.read()[-3000:]}")
            time.sleep(0.2)
        _settled(server.pid)  # the workers import the app after forking: measured once they are idle
        yield port, server.pid
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.seek(0)
        problems = [line for line in log.read().splitlines() if " ERROR " in line or "Traceback" in line]
        if problems:
            print(f"  ({len(problems)} errors logged by {spec}, e.g. {problems[0][:300]})")
        if os.environ.get("BENCH_LOGS"):  # a folder to keep each server's log in
            log.seek(0)
            Path(os.environ["BENCH_LOGS"], spec.replace(":", "_") + ".log").write_text(log.read())
        log.close()


def _settled(master: int, most: float = 60.0) -> None:
    """Wait until the master's workers have used no CPU for half a second (they have loaded the app)."""
    deadline, last = time.monotonic() + most, -1.0
    while time.monotonic() < deadline:
        used = sum(_cpu_seconds(pid) for pid in _children(master))
        if used == last:
            return
        last = used
        time.sleep(0.5)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _reply_waits(answered: list[tuple[str, str, float, bool]], arrived: list[tuple[str, float, int]]
                 ) -> tuple[list[float], int]:
    """How long each event counted waited for its reply at LINE, and how many were counted. A member's waiting
    replies may leave together on their newest token, so a member's k-th event is answered by the k-th message
    to reach LINE for them (each event of the mix is answered by one message)."""
    member_of = {token: member for member, token, _, _ in answered}
    messages: dict[str, list[float]] = {}
    for token, at, count in sorted(arrived, key=lambda reply: reply[1]):
        if token in member_of:
            messages.setdefault(member_of[token], []).extend([at] * count)
    events: dict[str, list[tuple[float, bool]]] = {}
    for member, _, sent, counts in answered:
        events.setdefault(member, []).append((sent, counts))
    waited, counted = [], 0
    for member, theirs in events.items():
        got = messages.get(member, [])
        if len(got) > len(theirs):
            print(f"  (member {member} had {len(got)} messages for {len(theirs)} events: the mix's one message an "
                  "event no longer holds, and reply waits are off)")
        for k, (sent, counts) in enumerate(sorted(theirs)):
            counted += counts
            if counts and k < len(got):
                waited.append(got[k] - sent)
    return waited, counted


def measure(name: str, spec: str, env: dict[str, str], users: list[str], args: argparse.Namespace,
            line: Connection) -> dict[str, Any]:
    with gunicorn(spec, env, args.workers, args.threads) as (port, master):
        line.send("counts")
        line.recv()  # forget what start-up did
        ours, theirs = multiprocessing.Pipe()
        shared = [users[n :: args.phones] for n in range(args.phones)]  # each phone's members
        load = multiprocessing.Process(target=phones, args=(theirs, port, shared, args.seconds))
        load.start()
        time.sleep(WARM_UP)
        workers = _children(master)
        cpu_before = sum(_cpu_seconds(pid) for pid in workers)
        latencies, errors, answered = ours.recv()
        cpu = sum(_cpu_seconds(pid) for pid in workers) - cpu_before
        load.join()
        memory = [_rss_mb(pid) for pid in workers]
    line.send("counts")  # after the server's stop, which sends what its workers still held
    counts, sample, arrived = line.recv()
    waited, counted = _reply_waits(answered, arrived)
    result = {"name": name, "events": len(latencies), "per_second": len(latencies) / args.seconds,
              "p50": _percentile(latencies, 0.50), "p95": _percentile(latencies, 0.95),
              "p99": _percentile(latencies, 0.99), "errors": errors, "worker_mb": memory, "replies": counts["reply"],
              "messages": sum(count for _, _, count in arrived),
              "sample": sample, "cpu_ms": cpu * 1000 / max(1, len(latencies)),
              "reply_p50": _percentile(waited, 0.50), "reply_p99": _percentile(waited, 0.99),
              "unreplied": counted - len(waited), "answered": counted}
    print(f"  {name:8} {result['per_second']:7.0f} events/s   p50 {result['p50'] * 1000:6.0f} ms   "
          f"p95 {result['p95'] * 1000:6.0f} ms   p99 {result['p99'] * 1000:6.0f} ms   "
          f"errors {sum(errors.values())}{' ' + json.dumps(errors) if errors else ''}   "
          f"workers {', '.join(f'{m:.0f}' for m in memory)} MB   "
          f"CPU {result['cpu_ms']:.1f} ms/event", flush=True)
    return result


# ---------------------------------------------------------------- the database
def prepare(url: str, users: list[str]) -> None:
    from sqlalchemy import create_engine, text

    from bench import floors
    from bot import db as bot_db
    from bot import migrate, seed
    from bot.settings import Settings
    from models.member import Member
    from models.network import district_cooperative

    engine = bot_db.make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrate.upgrade(engine)
    from sqlalchemy.orm import sessionmaker

    sessions = sessionmaker(engine, expire_on_commit=False)
    settings = Settings.load({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with sessions() as db, db.begin():
        seed.network(db)
        seed.demo(db, settings)
        districts = ["ควนขนุน", "เมืองพัทลุง", "ป่าบอน", "ปากพะยูน", "ตะโหมด"]
        for n, user in enumerate(users):
            district = districts[n % len(districts)]
            db.add(Member(line_user_id=user, name=f"สมาชิก {n}", display_name=f"สมาชิก {n}", district=district,
                          cooperative=district_cooperative(db, district), consent_at=datetime.now(UTC), active=True))
    floors.create_table(create_engine(url))
    engine.dispose()


# ---------------------------------------------------------------- one event in-process
def in_process(url: str, users: list[str], line_url: str, count: int = 2000) -> tuple[float, float, float, float]:
    """From the webhook body to the reply's JSON, in this process: the signature, parsing, the event's
    transaction and handlers, and the reply serialised as it goes to LINE (sent to nowhere). Wall time and
    this thread's CPU time (which other processes on a shared machine do not inflate), p50 and p99."""
    import logging

    from bot import create_app
    from bot.line import Line, wire

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "LINE_CHANNEL_SECRET": SECRET,
                      "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_BASE_URL": line_url,
                      "PUBLIC_BASE_URL": "https://bot.bench", "COOPBOT_REPLY_SENDERS": "0"})
    logging.getLogger().setLevel(logging.WARNING)
    bodies: list[bytes] = []

    def serialised(self: Line, body: dict[str, Any]) -> None:
        bodies.append(wire.encoded(body))  # as Line.send_reply writes it

    if hasattr(Line, "send_reply"):
        Line.send_reply = serialised  # type: ignore[method-assign]  # the call to LINE itself is left out
    else:  # a bot from before bench/webhook.py, measured for comparison: the SDK serialised its replies
        from linebot.v3.messaging import ApiClient, Configuration, ReplyMessageRequest

        client = ApiClient(Configuration(access_token="-"))

        def sdk_serialised(self: Line, reply_token: str, messages: Any) -> None:
            request = ReplyMessageRequest(replyToken=reply_token, messages=list(messages[:5]))
            bodies.append(json.dumps(client.sanitize_for_serialization(request)).encode())

        Line.reply = sdk_serialised  # type: ignore[method-assign]
    web = app.test_client()
    rng = random.Random(7)
    times, cpu = [], []
    for n in range(count):
        raw = _signed(users[n % len(users)], rng.choice(PHRASES))
        head, body = raw.split(b"\r\n\r\n", 1)
        signature = head.split(b"x-line-signature: ")[1].split(b"\r\n")[0].decode()
        started, cpu_started = time.perf_counter(), time.thread_time()
        response = web.post("/callback", data=body, headers={"x-line-signature": signature},
                            content_type="application/json")
        times.append(time.perf_counter() - started)
        cpu.append(time.thread_time() - cpu_started)
        assert response.status_code == 200
    assert len(bodies) == count, f"{len(bodies)} replies for {count} events"
    app.extensions["engine"].dispose()
    warm, warm_cpu = times[count // 10:], cpu[count // 10:]
    return statistics.median(warm), _percentile(warm, 0.99), statistics.median(warm_cpu), _percentile(warm_cpu, 0.99)


def _valid(sample: list[bytes]) -> tuple[int, list[str]]:
    from bot.sandbox import rules

    problems: list[str] = []
    for body in sample:
        problems += [str(detail) for detail in rules.reply(json.loads(body))]
    return len(sample), problems


# ---------------------------------------------------------------- the run
def run(label: str, url: str, args: argparse.Namespace, line: Connection, line_url: str) -> None:
    members = max(args.members or args.phones, args.phones)
    users = [f"U{uuid.UUID(int=random.Random(n).getrandbits(128)).hex}" for n in range(members)]
    started = time.perf_counter()
    prepare(url, users)
    print(f"\n{label}: {args.phones} phones ({members} members), {args.workers} workers x {args.threads} threads "
          f"(gthread), LINE "
          f"{LINE_DELAY * 1000:.0f} ms away, {args.seconds:.0f} s after {WARM_UP:.0f} s of warm-up "
          f"(set-up {time.perf_counter() - started:.1f} s)", flush=True)
    env = {"DATABASE_URL": url, "SECRET_KEY": "bench", "LINE_CHANNEL_SECRET": SECRET,
           "LINE_CHANNEL_ACCESS_TOKEN": TOKEN, "LINE_API_BASE_URL": line_url, "PUBLIC_BASE_URL": "https://bot.bench"}
    results = {}
    apps = [("bare", "bench.floors:bare()"), ("minimal", "bench.floors:minimal()"), ("bot", "bot:create_app()")]
    for name, spec in apps:
        if args.only and name not in args.only:
            continue
        results[name] = measure(name, spec, env, users, args, line)
    bot = results.get("bot")
    if bot is None:
        return
    for floor in ("bare", "minimal"):
        if floor in results and results[floor]["per_second"]:
            print(f"  bot / {floor}: {bot['per_second'] / results[floor]['per_second']:.1%}")
    checked, problems = _valid(bot["sample"])
    print(f"  LINE received {bot['replies']} replies ({bot['messages']} messages) for {bot['events']} events answered "
          f"(with the warm-up's); {checked} sampled: {len(problems)} problems by LINE's rules"
          + (f": {problems[:3]}" if problems else ""))
    print("  replies as the member meets them (event sent -> its reply at LINE): "
          f"p50 {bot['reply_p50'] * 1000:.0f} ms, p99 {bot['reply_p99'] * 1000:.0f} ms; "
          f"{bot['unreplied']} of {bot['answered']} measured events' replies never reached LINE")
    p50, p99, cpu50, cpu99 = in_process(url, users, line_url)
    print(f"  one event in-process (body to reply JSON): p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms; CPU "
          f"p50 {cpu50 * 1000:.2f} ms, p99 {cpu99 * 1000:.2f} ms")
    of_bare = bot["per_second"] / results["bare"]["per_second"] if "bare" in results else float("nan")
    verdicts = [
        ("events/s", bot["per_second"] >= GOALS["events_per_second"], f">= {GOALS['events_per_second']}"),
        ("p99", bot["p99"] < GOALS["p99"], f"< {GOALS['p99'] * 1000:.0f} ms"),
        ("of bare floor", of_bare >= GOALS["of_bare"], f">= {GOALS['of_bare']:.0%}"),
        ("memory per worker", max(bot["worker_mb"], default=0) < GOALS["worker_mb"], f"< {GOALS['worker_mb']} MB"),
        ("in-process p50", p50 < GOALS["in_process_p50"], f"< {GOALS['in_process_p50'] * 1000:.0f} ms"),
    ]
    print("  goals: " + "; ".join(f"{name} {goal} {'OK' if ok else 'MISSED'}" for name, ok, goal in verdicts))


def _warm_reader() -> None:
    """The Thai reader's model in a cache folder of the benchmark's own, built once before any server starts: the
    user's cache folder is shared by every checkout on the machine, each of which keeps only its own model, and a
    worker that finds none trains one (scikit-learn and all: 300 MB and seconds of CPU), which is not what a
    running bot does."""
    folder = Path(os.environ.get("BENCH_CACHE") or Path(tempfile.gettempdir()) / "coopbot-bench-cache")
    os.environ["XDG_CACHE_HOME"] = str(folder)  # inherited by the servers and by this process's in-process run
    subprocess.run([sys.executable, "-c", "from bot import nlu; nlu.understand('สวัสดีครับ')"], cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4, help="default: the Procfile's")
    parser.add_argument("--threads", type=int, default=4, help="default: the Procfile's")
    parser.add_argument("--phones", type=int, default=32)
    parser.add_argument("--members", type=int, help="members the phones write for, in turn (default: one a phone); "
                        "a member's replies leave in order, one a LINE round trip")
    parser.add_argument("--only", action="append", choices=["bare", "minimal", "bot"])
    parser.add_argument("--database", action="append", choices=["sqlite", "postgresql"],
                        help="default: SQLite, and PostgreSQL when BENCH_DATABASE_URL is set")
    args = parser.parse_args()
    databases = args.database or ["sqlite"] + (["postgresql"] if os.environ.get("BENCH_DATABASE_URL") else [])
    print(f"machine: {os.cpu_count()} cores, {platform()}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; load average "
          f"{os.getloadavg()[0]:.1f}")
    _warm_reader()
    ours, theirs = multiprocessing.Pipe()
    line = multiprocessing.Process(target=serve_line, args=(theirs, LINE_DELAY), daemon=True)
    line.start()
    line_url = f"http://127.0.0.1:{ours.recv()}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for database in databases:
                if database == "postgresql":
                    url = os.environ.get("BENCH_DATABASE_URL", "")
                    if not url:
                        raise SystemExit("--database postgresql needs BENCH_DATABASE_URL (a database of your own)")
                    run("PostgreSQL", url, args, ours, line_url)
                else:
                    run("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args, ours, line_url)
    finally:
        ours.send("stop")
        line.join(5)


def platform() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown CPU")
    return f"{model}, Python {sys.version.split()[0]}"


if __name__ == "__main__":
    main()
