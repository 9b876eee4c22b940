"""Pictures of the 40 demo products, drawn here as small flat SVG illustrations.

Generated, so they belong to nobody else and carry no licence: ``manage.py
generate_demo_images`` writes them to ``shopassist/demo/images/<SKU>.svg`` (committed, a few
kilobytes each; a test checks the files are what this module draws) and the demo loader
attaches them to the products. Same input, same bytes: no randomness, no dates.
"""

from __future__ import annotations

from pathlib import Path

IMAGES_DIR = Path(__file__).resolve().parent / "images"
# The drawings use a 400 × 400 canvas; the picture shows its middle at 4:3.
VIEW_BOX = (-34, 38, 468, 351)
WIDTH, HEIGHT = 400, 300

# Soft backgrounds per category (light, lighter).
BACKGROUNDS = {
    "bags": ("#f3e9dc", "#fbf6ef"),
    "apparel": ("#e3ecf5", "#f4f8fc"),
    "home": ("#e8f0e3", "#f6faf3"),
    "electronics": ("#e9e6f3", "#f7f5fc"),
}

# SKU → (drawing, main colour, accent colour)
PRODUCT_DRAWINGS = {
    "SA-BAG-001": ("duffel", "#b89a6a", "#6b4a2b"),
    "SA-BAG-002": ("backpack", "#7a4a2a", "#c79a5b"),
    "SA-BAG-003": ("tote", "#d8c7a6", "#2f5d7c"),
    "SA-BAG-004": ("sling", "#3b4a5a", "#e0a43c"),
    "SA-BAG-005": ("suitcase", "#2f6f8f", "#1d3340"),
    "SA-BAG-006": ("backpack", "#d9534f", "#f2c14e"),
    "SA-BAG-007": ("wallet", "#5a3a22", "#d6b27a"),
    "SA-BAG-008": ("lunch_bag", "#4f8a6b", "#e9e4d8"),
    "SA-BAG-009": ("camera_bag", "#2e2e33", "#b07d3b"),
    "SA-BAG-010": ("duffel", "#56603f", "#3a2a1c"),
    "SA-APP-001": ("sweater", "#8c6d9e", "#5e4670"),
    "SA-APP-002": ("tshirt", "#f2f2ee", "#9aa5ad"),
    "SA-APP-003": ("trousers", "#c4a574", "#8a6d45"),
    "SA-APP-004": ("rain_jacket", "#f0b429", "#2d3a45"),
    "SA-APP-005": ("shirt", "#b9d3ea", "#4f6d87"),
    "SA-APP-006": ("vest", "#2c4a6e", "#f08a4b"),
    "SA-APP-007": ("beanie", "#c0504d", "#f5e6d8"),
    "SA-APP-008": ("shorts", "#333a44", "#4fc3a1"),
    "SA-APP-009": ("denim_jacket", "#4a6fa5", "#e7b45a"),
    "SA-APP-010": ("overcoat", "#6d5b4b", "#2b2420"),
    "SA-HOM-001": ("coffee_set", "#f4efe6", "#6b4226"),
    "SA-HOM-002": ("skillet", "#34353a", "#8c8e94"),
    "SA-HOM-003": ("napkins", "#c9d9c3", "#8da784"),
    "SA-HOM-004": ("cutting_board", "#d9b36c", "#b8904a"),
    "SA-HOM-005": ("plates", "#f7f4ee", "#6c8ea4"),
    "SA-HOM-006": ("containers", "#bfe0ec", "#3f7f96"),
    "SA-HOM-007": ("candle", "#e2a55b", "#fff7e6"),
    "SA-HOM-008": ("knife", "#cfd6dc", "#2f2a28"),
    "SA-HOM-009": ("blanket", "#c98f6b", "#f2e3d5"),
    "SA-HOM-010": ("kettle", "#3a3f45", "#c9ccd1"),
    "SA-ELE-001": ("headphones", "#2b2d33", "#8fa3b8"),
    "SA-ELE-002": ("earbuds", "#f5f5f3", "#5b6b7a"),
    "SA-ELE-003": ("speaker", "#1f6f78", "#9bd3d9"),
    "SA-ELE-004": ("charger", "#f2f2f2", "#4a5561"),
    "SA-ELE-005": ("keyboard", "#3b3f47", "#e8e4da"),
    "SA-ELE-006": ("mouse", "#4b5563", "#a3b1c2"),
    "SA-ELE-007": ("power_bank", "#5b6f8f", "#7ee0a1"),
    "SA-ELE-008": ("desk_lamp", "#e8e8e4", "#f6d76b"),
    "SA-ELE-009": ("watch", "#22262b", "#4fd1c5"),
    "SA-ELE-010": ("action_camera", "#2a2c30", "#4a90d9"),
}


def _mix(colour: str, other: str, amount: float) -> str:
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * amount):02x}" for x, y in zip(a, b, strict=True))


def _dark(colour: str) -> str:
    return _mix(colour, "#000000", 0.28)


def _light(colour: str) -> str:
    return _mix(colour, "#ffffff", 0.4)


# --- Drawings: each returns SVG elements for a main colour m and an accent a ----------------------


def _duffel(m, a):
    d = _dark(m)
    return [
        f'<path d="M150 178C150 112 250 112 250 178" fill="none" stroke="{a}" stroke-width="13"/>',
        f'<rect x="82" y="168" width="236" height="128" rx="60" fill="{m}"/>',
        f'<path d="M82 250H318V262A34 34 0 0 1 284 296H116A34 34 0 0 1 82 262Z" fill="{d}"/>',
        f'<path d="M112 190H288" stroke="{d}" stroke-width="5" stroke-linecap="round"/>',
        f'<rect x="150" y="208" width="100" height="42" rx="10" fill="{_light(m)}"/>',
        f'<rect x="136" y="168" width="18" height="128" fill="{a}"/>',
        f'<rect x="246" y="168" width="18" height="128" fill="{a}"/>',
    ]


def _backpack(m, a):
    d = _dark(m)
    return [
        f'<path d="M172 112C172 78 228 78 228 112" fill="none" stroke="{d}" stroke-width="12"/>',
        f'<rect x="118" y="104" width="164" height="218" rx="56" fill="{m}"/>',
        f'<rect x="140" y="214" width="120" height="90" rx="26" fill="{d}"/>',
        f'<path d="M152 236H248" stroke="{a}" stroke-width="5" stroke-linecap="round"/>',
        f'<rect x="190" y="128" width="20" height="54" rx="6" fill="{a}"/>',
        f'<circle cx="200" cy="190" r="7" fill="{a}"/>',
    ]


def _tote(m, a):
    d = _dark(m)
    return [
        f'<path d="M148 176C148 92 188 92 188 176" fill="none" stroke="{a}" stroke-width="11"/>',
        f'<path d="M212 176C212 92 252 92 252 176" fill="none" stroke="{a}" stroke-width="11"/>',
        f'<path d="M104 172H296L276 322H124Z" fill="{m}"/>',
        f'<path d="M110 214H290L287 240H113Z" fill="{a}"/>',
        f'<path d="M104 172H296L294 186H106Z" fill="{d}"/>',
    ]


def _sling(m, a):
    d = _dark(m)
    return [
        f'<path d="M136 214C110 96 262 48 306 112" fill="none" stroke="{d}" stroke-width="11"/>',
        f'<rect x="120" y="190" width="172" height="108" rx="50" fill="{m}" '
        'transform="rotate(-8 206 244)"/>',
        f'<path d="M142 222L276 203" stroke="{a}" stroke-width="6" stroke-linecap="round"/>',
        f'<circle cx="276" cy="203" r="8" fill="{a}"/>',
        f'<rect x="160" y="240" width="90" height="34" rx="12" fill="{d}" '
        'transform="rotate(-8 206 244)"/>',
    ]


def _suitcase(m, a):
    d = _dark(m)
    return [
        f'<path d="M182 122V72H218V122" fill="none" stroke="{a}" stroke-width="9"/>',
        f'<rect x="132" y="116" width="136" height="206" rx="20" fill="{m}"/>',
        *[
            f'<path d="M{x} 136V302" stroke="{_light(m)}" stroke-width="6" stroke-linecap="round"/>'
            for x in (166, 200, 234)
        ],
        f'<rect x="132" y="116" width="136" height="22" rx="11" fill="{d}"/>',
        f'<circle cx="152" cy="330" r="11" fill="{a}"/>',
        f'<circle cx="248" cy="330" r="11" fill="{a}"/>',
    ]


def _wallet(m, a):
    return [
        f'<rect x="142" y="132" width="116" height="70" rx="8" fill="{a}"/>',
        f'<rect x="158" y="118" width="116" height="70" rx="8" fill="{_light(a)}" '
        'transform="rotate(6 216 153)"/>',
        f'<rect x="112" y="160" width="176" height="118" rx="14" fill="{m}"/>',
        f'<rect x="124" y="172" width="152" height="94" rx="9" fill="none" stroke="{_light(m)}" '
        'stroke-width="3" stroke-dasharray="8 6"/>',
        f'<path d="M112 204H288" stroke="{_dark(m)}" stroke-width="5"/>',
    ]


def _lunch_bag(m, a):
    d = _dark(m)
    return [
        f'<path d="M170 150C170 112 230 112 230 150" fill="none" stroke="{d}" stroke-width="12"/>',
        f'<rect x="126" y="146" width="148" height="176" rx="16" fill="{m}"/>',
        f'<rect x="126" y="146" width="148" height="48" rx="16" fill="{d}"/>',
        f'<rect x="150" y="226" width="100" height="58" rx="10" fill="{a}"/>',
        f'<path d="M164 246H236M164 264H220" stroke="{m}" stroke-width="6" '
        'stroke-linecap="round"/>',
    ]


def _camera_bag(m, a):
    d = _light(m)
    return [
        f'<path d="M122 184C116 58 284 58 278 184" fill="none" stroke="{a}" stroke-width="9"/>',
        f'<rect x="104" y="172" width="192" height="134" rx="22" fill="{m}"/>',
        f'<path d="M104 194A22 22 0 0 1 126 172H274A22 22 0 0 1 296 194V246H104Z" fill="{d}"/>',
        f'<rect x="186" y="232" width="28" height="34" rx="6" fill="{a}"/>',
        f'<path d="M104 246H296" stroke="{_dark(m)}" stroke-width="4"/>',
    ]


_SHORT_SLEEVES = (
    "M152 108L118 120L78 170L114 198L136 178V322H264V178L286 198L322 170L282 120L248 108"
    "C236 134 164 134 152 108Z"
)
_LONG_SLEEVES = (
    "M152 104L116 114L86 204L80 304L112 308L128 212L132 204V322H268V204L272 212L288 308"
    "L320 304L314 204L284 114L248 104C236 130 164 130 152 104Z"
)


def _tshirt(m, a):
    return [
        f'<path d="{_SHORT_SLEEVES}" fill="{m}" stroke="{a}" stroke-width="3"/>',
        f'<path d="M158 110C170 128 230 128 242 110" fill="none" stroke="{a}" stroke-width="6"/>',
    ]


def _sweater(m, a):
    return [
        f'<path d="{_LONG_SLEEVES}" fill="{m}"/>',
        f'<rect x="132" y="300" width="136" height="22" fill="{a}"/>',
        f'<rect x="80" y="290" width="33" height="16" fill="{a}" transform="rotate(4 96 298)"/>',
        f'<rect x="287" y="290" width="33" height="16" fill="{a}" transform="rotate(-4 304 298)"/>',
        f'<path d="M156 106C170 134 230 134 244 106" fill="none" stroke="{a}" stroke-width="9"/>',
        *[
            f'<path d="M{x} 160V290" stroke="{_light(m)}" stroke-width="3" opacity="0.6"/>'
            for x in (160, 186, 214, 240)
        ],
    ]


def _shirt(m, a):
    return [
        f'<path d="{_LONG_SLEEVES}" fill="{m}"/>',
        f'<path d="M152 104L176 148L200 124L224 148L248 104C236 118 164 118 152 104Z" '
        f'fill="{_light(m)}" stroke="{a}" stroke-width="3"/>',
        f'<path d="M200 126V322" stroke="{a}" stroke-width="3"/>',
        *[f'<circle cx="207" cy="{y}" r="4" fill="{a}"/>' for y in (160, 200, 240, 280)],
        f'<rect x="222" y="170" width="32" height="30" rx="4" fill="none" stroke="{a}" '
        'stroke-width="3"/>',
    ]


def _rain_jacket(m, a):
    d = _dark(m)
    return [
        f'<path d="M150 112C140 40 260 40 250 112Z" fill="{d}"/>',
        f'<path d="{_LONG_SLEEVES}" fill="{m}"/>',
        f'<path d="M200 120V322" stroke="{a}" stroke-width="6"/>',
        f'<path d="M146 240H184M216 240H254" stroke="{d}" stroke-width="6" '
        'stroke-linecap="round"/>',
        f'<path d="M176 112L184 160M224 112L216 160" stroke="{a}" stroke-width="4"/>',
    ]


def _denim_jacket(m, a):
    lt = _light(m)
    return [
        f'<path d="{_LONG_SLEEVES}" fill="{m}"/>',
        f'<path d="M152 104L174 156L200 132L226 156L248 104Z" fill="{_dark(m)}"/>',
        f'<path d="M200 132V322" stroke="{lt}" stroke-width="4"/>',
        f'<rect x="146" y="176" width="38" height="34" rx="4" fill="none" stroke="{a}" '
        'stroke-width="3"/>',
        f'<rect x="216" y="176" width="38" height="34" rx="4" fill="none" stroke="{a}" '
        'stroke-width="3"/>',
        f'<path d="M132 290H268" stroke="{lt}" stroke-width="4" stroke-dasharray="6 5"/>',
        *[f'<circle cx="{x}" cy="{y}" r="4" fill="{a}"/>' for x, y in ((165, 193), (235, 193))],
    ]


def _vest(m, a):
    d = _dark(m)
    return [
        f'<path d="M152 104L122 116L124 326H276L278 116L248 104C236 130 164 130 152 104Z" '
        f'fill="{m}"/>',
        *[
            f'<path d="M124 {y}H276" stroke="{d}" stroke-width="4" opacity="0.7"/>'
            for y in (160, 204, 248, 292)
        ],
        f'<path d="M200 128V326" stroke="{a}" stroke-width="6"/>',
        f'<path d="M156 106C170 132 230 132 244 106" fill="none" stroke="{a}" stroke-width="6"/>',
    ]


def _overcoat(m, a):
    d = _dark(m)
    return [
        f'<path d="M152 92L116 102L86 204L80 316L112 320L128 212L132 204V346H268V204L272 212'
        f'L288 320L320 316L314 204L284 102L248 92Z" fill="{m}"/>',
        f'<path d="M152 92L186 214L200 170L214 214L248 92L228 92L200 150L172 92Z" fill="{d}"/>',
        *[
            f'<circle cx="{x}" cy="{y}" r="6" fill="{a}"/>'
            for x in (178, 222)
            for y in (236, 276, 316)
        ],
        f'<path d="M132 292H170M230 292H268" stroke="{d}" stroke-width="5"/>',
    ]


def _trousers(m, a):
    d = _dark(m)
    return [
        f'<path d="M142 104H258L274 332H216L200 186L184 332H126Z" fill="{m}"/>',
        f'<rect x="140" y="96" width="120" height="22" rx="4" fill="{d}"/>',
        f'<path d="M150 118C156 140 176 146 186 146M250 118C244 140 224 146 214 146" '
        f'fill="none" stroke="{a}" stroke-width="4"/>',
        f'<path d="M200 118V170" stroke="{a}" stroke-width="3"/>',
    ]


def _shorts(m, a):
    return [
        f'<path d="M134 146H266L284 274L212 284L200 214L188 284L116 274Z" fill="{m}"/>',
        f'<rect x="132" y="136" width="136" height="22" rx="6" fill="{_dark(m)}"/>',
        f'<path d="M130 170L120 266M270 170L280 266" stroke="{a}" stroke-width="8" '
        'stroke-linecap="round"/>',
        f'<path d="M190 158L196 178M210 158L204 178" stroke="{a}" stroke-width="3"/>',
    ]


def _beanie(m, a):
    d = _dark(m)
    return [
        f'<circle cx="200" cy="126" r="24" fill="{a}"/>',
        f'<path d="M116 272C116 128 284 128 284 272Z" fill="{m}"/>',
        *[
            f'<path d="M{x} 160Q{x + (200 - x) * 0.1:.0f} 220 {x} 270" fill="none" '
            f'stroke="{d}" stroke-width="3" opacity="0.5"/>'
            for x in (150, 175, 200, 225, 250)
        ],
        f'<rect x="104" y="250" width="192" height="56" rx="14" fill="{d}"/>',
        *[
            f'<path d="M{x} 256V300" stroke="{m}" stroke-width="4" opacity="0.6"/>'
            for x in range(124, 290, 16)
        ],
    ]


def _coffee_set(m, a):
    return [
        '<path d="M164 214H236C292 244 292 322 252 322H148C108 322 108 244 164 214Z" '
        'fill="#d9eef5" opacity="0.85"/>',
        f'<path d="M130 282H270C268 306 258 322 252 322H148C142 322 132 306 130 282Z" fill="{a}"/>',
        f'<rect x="130" y="118" width="140" height="16" rx="8" fill="{_dark(m)}"/>',
        f'<path d="M140 132H260L226 206H174Z" fill="{m}" stroke="{_dark(m)}" stroke-width="3"/>',
        f'<rect x="168" y="204" width="64" height="12" rx="4" fill="{_dark(m)}"/>',
        f'<rect x="292" y="262" width="52" height="60" rx="10" fill="{m}" stroke="{_dark(m)}" '
        'stroke-width="3"/>',
        f'<path d="M344 278C366 278 366 306 344 306" fill="none" stroke="{_dark(m)}" '
        'stroke-width="6"/>',
    ]


def _skillet(m, a):
    return [
        f'<rect x="262" y="204" width="112" height="32" rx="14" fill="{m}"/>',
        '<circle cx="356" cy="220" r="7" fill="#e8f0e3"/>',
        f'<circle cx="176" cy="220" r="100" fill="{m}"/>',
        f'<circle cx="176" cy="220" r="82" fill="{_mix(m, a, 0.35)}"/>',
        f'<path d="M120 180A70 70 0 0 1 200 150" fill="none" stroke="{a}" stroke-width="6" '
        'stroke-linecap="round" opacity="0.7"/>',
    ]


def _napkins(m, a):
    shades = [_dark(a), a, m, _light(m)]
    return [
        f'<rect x="{110 + i * 6}" y="{258 - i * 30}" width="180" height="46" rx="8" '
        f'fill="{colour}"/>'
        for i, colour in enumerate(shades)
    ] + [f'<path d="M128 186L290 228" stroke="{a}" stroke-width="3" opacity="0.6"/>']


def _cutting_board(m, a):
    return [
        f'<path d="M90 150A26 26 0 0 1 116 124H272A26 26 0 0 1 298 150V170H322A30 30 0 0 1 '
        f'322 230H298V286A26 26 0 0 1 272 312H116A26 26 0 0 1 90 286Z" fill="{m}"/>',
        *[
            f'<path d="M{x} 132V304" stroke="{a}" stroke-width="3" opacity="0.55"/>'
            for x in range(118, 290, 22)
        ],
        '<circle cx="320" cy="200" r="12" fill="#e8f0e3"/>',
    ]


def _plates(m, a):
    return [
        *[
            f'<ellipse cx="200" cy="{300 - i * 18}" rx="138" ry="34" fill="{m}" stroke="{a}" '
            'stroke-width="3"/>'
            for i in range(4)
        ],
        f'<ellipse cx="200" cy="246" rx="88" ry="20" fill="none" stroke="{a}" stroke-width="3" '
        'opacity="0.6"/>',
    ]


def _containers(m, a):
    return [
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="12" fill="{m}" opacity="0.9" '
        f'stroke="{_dark(m)}" stroke-width="3"/>'
        f'<rect x="{x - 4}" y="{y - 14}" width="{w + 8}" height="20" rx="8" fill="{a}"/>'
        for x, y, w, h in ((94, 226, 118, 90), (226, 240, 86, 76), (140, 140, 120, 64))
    ]


def _candle(m, a):
    return [
        '<path d="M200 92C216 116 218 134 200 146C182 134 184 116 200 92Z" fill="#f6a623"/>',
        '<path d="M200 112C207 124 207 134 200 140C193 134 193 124 200 112Z" fill="#fde68a"/>',
        '<path d="M200 146V170" stroke="#333" stroke-width="4"/>',
        f'<rect x="140" y="164" width="120" height="156" rx="20" fill="{m}"/>',
        f'<ellipse cx="200" cy="174" rx="56" ry="12" fill="{a}"/>',
        f'<rect x="158" y="220" width="84" height="58" rx="6" fill="{a}"/>',
        f'<path d="M172 240H228M180 258H220" stroke="{_dark(m)}" stroke-width="4" '
        'stroke-linecap="round"/>',
    ]


def _knife(m, a):
    return [
        f'<g transform="rotate(-18 200 220)">'
        f'<path d="M70 236L272 212L286 232C226 272 134 270 70 250Z" fill="{m}"/>'
        f'<path d="M70 250C134 270 226 272 286 232" fill="none" stroke="{_dark(m)}" '
        'stroke-width="3"/>'
        f'<rect x="282" y="210" width="98" height="32" rx="12" fill="{a}"/>'
        + "".join(f'<circle cx="{x}" cy="226" r="5" fill="{m}"/>' for x in (306, 332, 358))
        + "</g>",
    ]


def _blanket(m, a):
    d = _dark(m)
    return [
        f'<rect x="96" y="150" width="208" height="142" rx="14" fill="{m}"/>',
        f'<rect x="96" y="150" width="208" height="56" rx="14" fill="{d}"/>',
        *[f'<path d="M96 {y}H304" stroke="{a}" stroke-width="6"/>' for y in (232, 256)],
        *[
            f'<path d="M{x} 292V312" stroke="{m}" stroke-width="4" stroke-linecap="round"/>'
            for x in range(108, 300, 12)
        ],
    ]


def _kettle(m, a):
    return [
        f'<path d="M146 258C118 258 96 210 72 156" fill="none" stroke="{m}" stroke-width="9" '
        'stroke-linecap="round"/>',
        f'<path d="M252 176C300 176 300 268 258 268" fill="none" stroke="{m}" stroke-width="14"/>',
        f'<path d="M150 176H250L268 296H132Z" fill="{m}"/>',
        f'<ellipse cx="200" cy="176" rx="52" ry="12" fill="{a}"/>',
        f'<circle cx="200" cy="160" r="10" fill="{a}"/>',
        f'<rect x="116" y="296" width="168" height="26" rx="10" fill="{_dark(m)}"/>',
        f'<rect x="176" y="304" width="48" height="8" rx="4" fill="{a}"/>',
    ]


def _headphones(m, a):
    return [
        f'<path d="M116 224C116 86 284 86 284 224" fill="none" stroke="{m}" stroke-width="18" '
        'stroke-linecap="round"/>',
        f'<rect x="90" y="196" width="56" height="100" rx="26" fill="{m}"/>',
        f'<rect x="254" y="196" width="56" height="100" rx="26" fill="{m}"/>',
        f'<rect x="132" y="206" width="22" height="80" rx="11" fill="{a}"/>',
        f'<rect x="246" y="206" width="22" height="80" rx="11" fill="{a}"/>',
    ]


def _earbuds(m, a):
    return [
        f'<rect x="138" y="208" width="124" height="104" rx="44" fill="{m}" stroke="{a}" '
        'stroke-width="4"/>',
        f'<path d="M138 246H262" stroke="{a}" stroke-width="3"/>',
        f'<circle cx="200" cy="280" r="5" fill="{a}"/>',
        *[
            f'<g transform="rotate({angle} {cx} 150)"><circle cx="{cx}" cy="150" r="22" '
            f'fill="{m}" stroke="{a}" stroke-width="4"/><rect x="{cx - 8}" y="160" width="16" '
            f'height="42" rx="8" fill="{m}" stroke="{a}" stroke-width="4"/></g>'
            for cx, angle in ((166, -12), (234, 12))
        ],
    ]


def _speaker(m, a):
    return [
        f'<rect x="96" y="166" width="208" height="124" rx="62" fill="{m}"/>',
        *[
            f'<circle cx="{x}" cy="{y}" r="5" fill="{a}"/>'
            for x in range(142, 268, 18)
            for y in (206, 228, 250)
        ],
        f'<rect x="96" y="166" width="30" height="124" rx="15" fill="{_dark(m)}"/>',
        f'<rect x="274" y="166" width="30" height="124" rx="15" fill="{_dark(m)}"/>',
    ]


def _charger(m, a):
    return [
        f'<rect x="172" y="112" width="14" height="40" rx="3" fill="{a}"/>',
        f'<rect x="214" y="112" width="14" height="40" rx="3" fill="{a}"/>',
        f'<rect x="146" y="146" width="108" height="120" rx="20" fill="{m}" stroke="{a}" '
        'stroke-width="4"/>',
        f'<rect x="184" y="236" width="32" height="10" rx="5" fill="{a}"/>',
        f'<path d="M200 266C200 320 280 290 300 336" fill="none" stroke="{a}" stroke-width="8" '
        'stroke-linecap="round"/>',
        f'<path d="M192 182L204 202H196L208 222" fill="none" stroke="{a}" stroke-width="4"/>',
    ]


def _keyboard(m, a):
    keys = [
        f'<rect x="{86 + col * 19}" y="{184 + row * 20}" width="15" height="15" rx="3" fill="{a}"/>'
        for row in range(4)
        for col in range(12)
    ]
    return [
        f'<rect x="72" y="166" width="256" height="122" rx="14" fill="{m}"/>',
        *keys,
        f'<rect x="144" y="266" width="112" height="14" rx="3" fill="{a}"/>',
    ]


def _mouse(m, a):
    return [
        f'<path d="M200 104C276 104 290 204 280 262C270 326 130 326 120 262C110 204 124 104 '
        f'200 104Z" fill="{m}"/>',
        f'<path d="M200 104V184M124 184C160 196 240 196 276 184" fill="none" stroke="{a}" '
        'stroke-width="4"/>',
        f'<rect x="192" y="130" width="16" height="34" rx="8" fill="{a}"/>',
        f'<path d="M140 270C170 300 230 300 260 270" fill="none" stroke="{_light(m)}" '
        'stroke-width="4" opacity="0.6"/>',
    ]


def _power_bank(m, a):
    return [
        f'<rect x="138" y="104" width="124" height="216" rx="24" fill="{m}"/>',
        *[f'<circle cx="{x}" cy="146" r="7" fill="{a}"/>' for x in (170, 190, 210)],
        '<circle cx="230" cy="146" r="7" fill="#d0d6df"/>',
        f'<rect x="176" y="300" width="48" height="10" rx="5" fill="{_dark(m)}"/>',
        f'<path d="M196 196L184 232H204L192 268" fill="none" stroke="{a}" stroke-width="7" '
        'stroke-linecap="round" stroke-linejoin="round"/>',
    ]


def _desk_lamp(m, a):
    return [
        f'<path d="M236 174L300 300H172Z" fill="{a}" opacity="0.45"/>',
        f'<ellipse cx="150" cy="318" rx="70" ry="14" fill="{_dark(m)}"/>',
        f'<path d="M150 314L124 210L226 148" fill="none" stroke="{_dark(m)}" stroke-width="12" '
        'stroke-linecap="round" stroke-linejoin="round"/>',
        f'<circle cx="124" cy="210" r="12" fill="{m}" stroke="{_dark(m)}" stroke-width="4"/>',
        f'<path d="M206 128L262 114L282 178L212 188Z" fill="{m}" stroke="{_dark(m)}" '
        'stroke-width="4"/>',
    ]


def _watch(m, a):
    return [
        f'<rect x="168" y="76" width="64" height="248" rx="24" fill="{_light(m)}"/>',
        f'<rect x="146" y="146" width="108" height="108" rx="30" fill="{m}"/>',
        '<rect x="160" y="160" width="80" height="80" rx="20" fill="#101316"/>',
        f'<path d="M170 206H186L194 186L206 226L214 200H230" fill="none" stroke="{a}" '
        'stroke-width="5" stroke-linejoin="round"/>',
        f'<rect x="252" y="186" width="10" height="28" rx="4" fill="{m}"/>',
    ]


def _action_camera(m, a):
    return [
        f'<rect x="114" y="146" width="172" height="128" rx="18" fill="{m}"/>',
        f'<rect x="232" y="134" width="36" height="14" rx="5" fill="{_dark(m)}"/>',
        '<circle cx="172" cy="210" r="44" fill="#6b7280"/>',
        '<circle cx="172" cy="210" r="30" fill="#111318"/>',
        f'<circle cx="164" cy="202" r="10" fill="{a}"/>',
        f'<rect x="234" y="168" width="36" height="28" rx="5" fill="{a}" opacity="0.8"/>',
        '<circle cx="252" cy="244" r="7" fill="#e11d48"/>',
    ]


DRAWINGS = {
    "duffel": _duffel,
    "backpack": _backpack,
    "tote": _tote,
    "sling": _sling,
    "suitcase": _suitcase,
    "wallet": _wallet,
    "lunch_bag": _lunch_bag,
    "camera_bag": _camera_bag,
    "tshirt": _tshirt,
    "sweater": _sweater,
    "shirt": _shirt,
    "rain_jacket": _rain_jacket,
    "denim_jacket": _denim_jacket,
    "vest": _vest,
    "overcoat": _overcoat,
    "trousers": _trousers,
    "shorts": _shorts,
    "beanie": _beanie,
    "coffee_set": _coffee_set,
    "skillet": _skillet,
    "napkins": _napkins,
    "cutting_board": _cutting_board,
    "plates": _plates,
    "containers": _containers,
    "candle": _candle,
    "knife": _knife,
    "blanket": _blanket,
    "kettle": _kettle,
    "headphones": _headphones,
    "earbuds": _earbuds,
    "speaker": _speaker,
    "charger": _charger,
    "keyboard": _keyboard,
    "mouse": _mouse,
    "power_bank": _power_bank,
    "desk_lamp": _desk_lamp,
    "watch": _watch,
    "action_camera": _action_camera,
}


def svg_for(sku: str, category: str) -> str:
    """The SVG picture of a demo product (4:3, like the storefront's picture frames)."""
    drawing, main, accent = PRODUCT_DRAWINGS[sku]
    light, lighter = BACKGROUNDS[category]
    body = "".join(DRAWINGS[drawing](main, accent))
    x, y, w, h = VIEW_BOX
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x} {y} {w} {h}" '
        f'width="{WIDTH}" height="{HEIGHT}">'
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="{lighter}"/>'
        f'<circle cx="200" cy="214" r="168" fill="{light}"/>'
        '<ellipse cx="200" cy="344" rx="120" ry="12" fill="#000" opacity="0.08"/>'
        f"{body}</svg>\n"
    )


def image_path(sku: str) -> Path:
    return IMAGES_DIR / f"{sku}.svg"


def write_images(products) -> list[Path]:
    """(Re)write the picture of every product (``catalog_data.PRODUCTS``)."""
    IMAGES_DIR.mkdir(exist_ok=True)
    written = []
    for product in products:
        path = image_path(product["sku"])
        path.write_text(svg_for(product["sku"], product["category"]), encoding="utf-8")
        written.append(path)
    return written
