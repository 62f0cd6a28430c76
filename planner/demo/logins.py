"""The demo's log-ins, listed by `flask seed-demo` and README."""

DEMO_ORGANISER_EMAIL = "organiser@karvan.example"
DEMO_PASSWORD = "karvan-demo-2026"
# Accounts worth trying first (every demo firm has one under its first participant's e-mail).
DEMO_LOGINS = (
    ("organiser", DEMO_ORGANISER_EMAIL),
    ("Mashhad firm (fa)", "m.afshar@toos-brake.example"),
    ("Chelyabinsk firm (ru)", "n.smirnov@taganay-avto.example"),
    ("delegation head (ru)", "v.shcherbakov@ilmenit-tyazhmash.example"),
)
