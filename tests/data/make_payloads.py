"""Regenerate payloads.txt: hostile inputs for the security tests (one per line; \\n in a
line stands for a newline). Run: python tests/data/make_payloads.py"""

from pathlib import Path

SCRIPTS = [
    "<script>alert(1)</script>",
    "<script>window.__xss=1</script>",
    "<script src=//evil.example/x.js></script>",
    "<img src=x onerror=alert(1)>",
    '<img src=x onerror="window.__xss=1">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    "<iframe srcdoc='<script>alert(1)</script>'>",
    "<a href=javascript:alert(1)>x</a>",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="x:expression(alert(1))">x</p>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<video><source onerror=alert(1)>",
    "<audio src=x onerror=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<base href=//evil.example/>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<style>@import '//evil.example/x.css';</style>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<img src="x" onerror="&#97;lert(1)">',
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "javascript:alert(1)",
    "{{ 7*7 }}",
    "{% debug %}",
    "{{ request.user.password }}",
    "${7*7}",
    "<%= 7*7 %>",
    "#{7*7}",
]
SQL = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '"; DROP TABLE civic_user; --',
    "'; DELETE FROM ballots_ballot; --",
    "1; SELECT pg_sleep(5); --",
    "' UNION SELECT password FROM civic_user --",
    "admin'--",
    "%' AND 1=0 UNION SELECT 1 --",
    "\\'; --",
    "1' AND SLEEP(5) #",
]
UNICODE = [
    "\u202eevil.exe\u202c",
    "zero\u200bwidth\u200djoiner",
    "emoji 🗳️💷🏘️ and ZWJ 👩\u200d👩\u200d👧",
    "combining e\u0301\u0301\u0301\u0301",
    "right-to-left عربى עברית",
    "Cymraeg: ŵ ŷ â ê î ô û ï",
    "\ufeffbom at start",
    "line\nbreaks\nand\ttabs",
    "very " + "long " * 200,
    "𝕦𝕟𝕚𝕔𝕠𝕕𝕖 𝔪𝔞𝔱𝔥",
    "Ｆｕｌｌｗｉｄｔｈ ＜script＞",
    "\u2028line separator\u2029paragraph separator",
    "a\u0000b",
]
WRAPPERS = [
    "{}",
    "Budget idea: {}",
    "{} trailing text",
    "<b>{}</b>",
    "<p>{}</p>",
    "**{}**",
    "{}{}",
]


def payloads() -> list[str]:
    out: list[str] = []
    for base in SCRIPTS + SQL + UNICODE:
        for wrap in WRAPPERS:
            out.append(
                wrap.format(base, base) if wrap.count("{}") == 2 else wrap.format(base)
            )
    seen, unique = set(), []
    for p in out:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique


if __name__ == "__main__":
    items = payloads()
    Path(__file__).with_name("payloads.txt").write_text(
        "\n".join(p.replace("\\", "\\\\").replace("\n", "\\n") for p in items) + "\n",
        encoding="utf-8",
    )
    print(len(items), "payloads")
