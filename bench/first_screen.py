#!/usr/bin/env python3
"""Time to the first full screen, stemcell beside `less`, and stemcell's CPU use while idle.

usage: python3 bench/first_screen.py [RUNS]
       (build first: cargo build --release --examples)

Each run starts the program in an 80x24 pseudo-terminal and stops the clock when the last
thing it draws on its first screen has arrived: stemcell's footer (" quit "), and for less
its prompt (less draws its page top to bottom, then the prompt). Runs
alternate between the two so that machine noise hits both alike. Prints medians and
quartiles in milliseconds, then peak memory, the first screen and `validate` on a generated
1,000-section, 10,000-question pack, the instructions each program runs to its first screen
(where valgrind is installed: a count that machine noise does not move), and the CPU time
stemcell uses in 5 idle seconds.
"""
import os, pty, select, shutil, signal, statistics, struct, subprocess, sys, time, fcntl, termios

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Cargo's own setting for where it builds, as `cargo build` would use it.
TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
BIN = os.path.join(TARGET, "release", "stemcell")
ARTICLE = os.path.join(ROOT, "tests", "article", "stem-cell-therapy.txt")


def spawn(argv):
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ.pop("NO_COLOR", None)
        os.execv(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    return pid, fd


def first_screen(argv, marker, timeout=5.0, memory=None, answers=()):
    """`answers`: (query, reply) pairs: a terminal's replies to what the program asks it."""
    start = time.perf_counter()
    pid, fd = spawn(argv)
    seen = b""
    pending = list(answers)
    try:
        while marker not in seen:
            left = timeout - (time.perf_counter() - start)
            if left <= 0:
                raise RuntimeError(f"{argv[0]} never showed {marker!r}")
            ready, _, _ = select.select([fd], [], [], left)
            if ready:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
                for query, reply in list(pending):
                    if query in seen:
                        os.write(fd, reply)
                        pending.remove((query, reply))
        elapsed = (time.perf_counter() - start) * 1000
        if memory is not None:
            # The high-water mark of resident memory, as the kernel counts it.
            for line in open(f"/proc/{pid}/status"):
                if line.startswith("VmHWM:"):
                    memory.append(int(line.split()[1]))
        return elapsed
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def idle_cpu_seconds(seconds=5.0):
    pid, fd = spawn([BIN])
    seen = b""
    while b" quit " not in seen:
        select.select([fd], [], [], 5)
        seen += os.read(fd, 65536)
    time.sleep(0.5)

    def cpu():
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    before = cpu()
    # Keep draining output so the program is never blocked on a full pty buffer.
    end = time.time() + seconds
    while time.time() < end:
        if select.select([fd], [], [], 0.2)[0]:
            os.read(fd, 65536)
    used = cpu() - before
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)
    return used


def instructions(argv, marker):
    """Instructions executed from start to quitting with `q` at the first screen, counted by
    valgrind's callgrind: unlike times, the same on every run, however busy the machine."""
    out = f"/tmp/stemcell-callgrind-{os.getpid()}.out"
    pid, fd = spawn([shutil.which("valgrind"), "--tool=callgrind", f"--callgrind-out-file={out}"] + argv)
    seen = b""
    start = time.time()
    while marker not in seen and time.time() - start < 60:
        if select.select([fd], [], [], 1)[0]:
            seen += os.read(fd, 65536)
    os.write(fd, b"q")
    while True:
        try:
            if not os.read(fd, 65536):
                break
        except OSError:
            break
    os.waitpid(pid, 0)
    os.close(fd)
    for line in open(out):
        if line.startswith("summary:") or line.startswith("totals:"):
            os.remove(out)
            return int(line.split()[1])
    raise RuntimeError(f"callgrind wrote no total for {argv[0]}")


def summary(name, times):
    q = statistics.quantiles(times, n=4)
    return f"{name:10} median {statistics.median(times):6.2f} ms   (quartiles {q[0]:.2f} to {q[2]:.2f}, {len(times)} runs)"


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    if not os.path.exists(BIN):
        sys.exit("build first: cargo build --release")
    # less draws the page top to bottom and then its prompt, the file name in reverse video.
    less_marker = b"stem-cell-therapy.txt\x1b[27m"
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(first_screen([BIN], b" quit "))
        theirs.append(first_screen(["/usr/bin/less", ARTICLE], less_marker))
    print(summary("stemcell", ours))
    print(summary("less", theirs))
    print(f"ratio      {statistics.median(ours) / statistics.median(theirs):.2f}x less")
    peak = []
    first_screen([BIN], b" quit ", memory=peak)
    print(f"memory     {peak[0] / 1024:.1f} MiB peak resident (built-in course, first screen)")
    large = "/tmp/stemcell-large-pack"
    if not os.path.exists(large):
        subprocess.run([os.path.join(TARGET, "release", "examples", "large_pack"),
                        "--sections", "1000", "--questions", "10000", large], check=True, stdout=subprocess.DEVNULL)
    big = [first_screen([BIN, "--pack", large], b" quit ") for _ in range(max(5, runs // 4))]
    print(summary("large pack", big) + "  (1,000 sections, 10,000 questions: first screen)")
    checks = []
    for _ in range(max(5, runs // 4)):
        start = time.perf_counter()
        subprocess.run([BIN, "validate", large], check=True, stdout=subprocess.DEVNULL)
        checks.append((time.perf_counter() - start) * 1000)
    print(summary("validate", checks) + "  (the same pack)")
    # presenterm, where it is installed (PRESENTERM=path): the article as seven slides, timed to
    # its slide counter, the last thing it draws.
    presenterm = os.environ.get("PRESENTERM")
    if presenterm and os.path.exists(presenterm):
        slides = "/tmp/stemcell-article-slides.md"
        lines = [l for l in open(ARTICLE, encoding="utf-8").read().split("\n")]
        with open(slides, "w", encoding="utf-8") as out:
            out.write(f"# {lines[0]}\n")
            for i, line in enumerate(lines[1:], 1):
                if line.strip() and i in (1, 5, 9, 12, 16, 20):
                    out.write(f"\n<!-- end_slide -->\n\n## {line}\n")
                elif line.strip():
                    out.write(f"\n{line}\n")
        # presenterm asks the terminal what it supports (device attributes, status) and waits
        # for the answers, as a real terminal gives them.
        replies = [(b"\x1b[c", b"\x1b[?62;22c"), (b"\x1b[5n", b"\x1b[0n"), (b"\x1b[6n", b"\x1b[1;1R")]
        theirs2 = [first_screen([presenterm, slides], b"1 / 7", answers=replies) for _ in range(max(5, runs // 3))]
        print(summary("presenterm", theirs2) + "  (the article as 7 slides)")
    if shutil.which("valgrind"):
        ours = instructions([BIN], b" quit ")
        theirs = instructions(["/usr/bin/less", ARTICLE], less_marker)
        print(f"instructions stemcell {ours / 1e6:.2f} M, less {theirs / 1e6:.2f} M "
              f"({ours / theirs:.2f}x), start to quitting at the first screen (callgrind)")
    print(f"idle CPU   {idle_cpu_seconds():.2f} s of CPU in 5 s idle")
    print(f"binary     {os.path.getsize(BIN) / 1024 / 1024:.2f} MiB ({BIN})")


if __name__ == "__main__":
    main()
