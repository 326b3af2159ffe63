"""Screenshots of the main screens of a running Ventanilla, at desktop and phone sizes.

Starts nothing itself: point it at a server that serves the demo city, for example
`make run` (http://127.0.0.1:8000) after `manage.py seed_demo`:

    .venv/bin/python tools/screenshots.py http://127.0.0.1:8000

It drives Debian's chromium (`apt-get install chromium`) through Playwright, never a
downloaded browser. Console errors (CSP violations among them) and pages wider than the
window are printed, and the exit status is 1 when there were any.
"""

import argparse
import shutil
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# Full-page screenshots are cut at this height to keep the PNGs small.
MAX_HEIGHT = {"desktop": 1400, "phone": 1800}


class Shooter:
    def __init__(self, browser, base_url: str, out: Path, password: str, size: str):
        self.browser, self.base_url, self.out = browser, base_url.rstrip("/"), out
        self.password, self.size = password, size
        self.problems: list[str] = []

    def session(self, username: str | None) -> Page:
        context = self.browser.new_context(
            viewport=SIZES[self.size], locale="es-CO", base_url=self.base_url
        )
        page = context.new_page()
        page.on(
            "console",
            lambda msg: (
                msg.type == "error"
                and self.problems.append(
                    f"{self.size} {username or 'anonymous'} {page.url}: {msg.text}"
                )
            ),
        )
        page.on(
            "pageerror",
            lambda exc: self.problems.append(
                f"{self.size} {username or 'anonymous'} {page.url}: {exc}"
            ),
        )
        if username:
            page.goto("/accounts/login/")
            page.locator("#id_username").fill(username)
            page.locator("#id_password").fill(self.password)
            page.locator("#id_password").press("Enter")
            page.wait_for_load_state()
            if "/accounts/login/" in page.url:
                raise SystemExit(f"could not log in as {username!r}")
        return page

    def shoot(self, page: Page, name: str) -> None:
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            self.problems.append(f"{self.size} {page.url}: {overflow}px wider than the window")
        height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT[self.size])
        path = self.out / f"{name}-{self.size}.png"
        page.screenshot(
            path=path,
            full_page=True,
            clip={"x": 0, "y": 0, "width": SIZES[self.size]["width"], "height": height},
        )
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")

    def run(self, query: str) -> None:
        page = self.session(None)
        page.goto("/accounts/login/")
        self.shoot(page, "login")
        page.context.close()

        page = self.session("orientador")
        page.goto("/registry/")
        # Type as a person would, so the search-as-you-type (htmx) fills the results.
        page.get_by_role("searchbox").press_sequentially(query, delay=20)
        page.locator("#results .vt-result").first.wait_for()
        self.shoot(page, "search")
        page.locator("#results .vt-result a.fw-semibold").first.click()
        page.get_by_role("heading", level=1).wait_for()
        self.shoot(page, "person")
        page.locator("main a[href$='/visit/']").first.click()
        page.locator("form input[name=reasons]").first.wait_for()
        self.shoot(page, "visit")
        page.goto("/registry/register/?q=" + query.replace(" ", "+"))
        page.locator("[data-add-member]").click()
        page.locator("#members .vt-member").nth(1).wait_for()
        self.shoot(page, "register")
        page.context.close()

        for username, name in (
            ("gestora", "work-case-worker"),
            ("aliado", "work-partner"),
            ("coordinadora", "work-coordinator"),
        ):
            page = self.session(username)
            page.goto("/work/")
            self.shoot(page, name)
            page.context.close()

        page = self.session("aliado")
        page.goto("/cases/referrals/")
        page.locator("main a[href*='/cases/referrals/']").first.click()
        page.get_by_role("heading", level=1).wait_for()
        self.shoot(page, "referral-partner")
        page.context.close()

        page = self.session("coordinadora")
        page.goto("/figures/")
        self.shoot(page, "figures-coordinator")
        page.context.close()

        page = self.session("analista")
        page.goto("/figures/")
        self.shoot(page, "figures")
        page.context.close()

        page = self.session(None)
        page.goto("/pathways/")
        self.shoot(page, "pathways-public")
        page.context.close()

        page = self.session("gestora")
        page.goto("/cases/")
        for href in page.locator("main a[href^='/cases/']").evaluate_all(
            "els => els.map(e => e.getAttribute('href'))"
        ):
            page.goto(href)
            check = page.locator("#pathways a[href^='/pathways/checks/']")
            if check.count():
                check.first.click()
                page.get_by_role("heading", level=1).wait_for()
                self.shoot(page, "pathways-case-check")
                break
        page.goto("/ivl/priority/?program=job_intermediation")
        self.shoot(page, "ivl-priority")
        page.locator("#priority-list a[href*='/ivl/persons/']").first.click()
        page.get_by_role("heading", level=1).wait_for()
        self.shoot(page, "ivl-person")
        page.context.close()

        page = self.session("coordinadora")
        page.goto("/pathways/rules/")
        self.shoot(page, "pathways-rules")
        page.goto("/ivl/runs/")
        self.shoot(page, "ivl-runs")
        page.context.close()

        page = self.session("analista")
        page.goto("/ivl/")
        self.shoot(page, "ivl-dashboard")
        page.goto("/ivl/fairness/")
        self.shoot(page, "ivl-fairness")
        page.context.close()

        page = self.session("admin")
        page.goto("/accounts/users/")
        self.shoot(page, "users")
        page.context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--password",
        default="demo-ventanilla-2026",
        help="password of the demo users (manage.py demo_users)",
    )
    parser.add_argument(
        "--query",
        default="maria contreras",
        help="what to type in the search box (must find someone)",
    )
    parser.add_argument("--size", choices=[*SIZES, "all"], default="all")
    parser.add_argument(
        "--readme",
        type=Path,
        default=ROOT / "docs" / "screenshot.png",
        help="where to copy the desktop search screenshot for the README",
    )
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    problems = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for size in SIZES if args.size == "all" else [args.size]:
            shooter = Shooter(browser, args.base_url, args.out, args.password, size)
            shooter.run(args.query)
            problems += shooter.problems
        browser.close()
    if args.size in ("desktop", "all") and args.readme:
        shutil.copyfile(args.out / "search-desktop.png", args.readme)
    for problem in problems:
        print(f"PROBLEM {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
