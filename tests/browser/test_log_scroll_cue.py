"""The Login as Customer Log at 1280 pixels, with the admin's menu open: its twelve columns are
wider than the page, so it scrolls in its own box, and a shadow at the edge it scrolls towards
shows that there is more (before, the last columns were cut off with nothing to say so)."""

import base64

import pytest

from tests.browser.conftest import admin_login
from tests.browser.test_dashboard import month_of_sessions

pytestmark = pytest.mark.browser

# The mean brightness (0-255) of a screenshot, read back through a canvas.
_MEAN = """async data => {
  const image = new Image();
  image.src = "data:image/png;base64," + data;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const drawing = canvas.getContext("2d");
  drawing.drawImage(image, 0, 0);
  const pixels = drawing.getImageData(0, 0, image.width, image.height).data;
  let sum = 0;
  for (let i = 0; i < pixels.length; i += 4) sum += (pixels[i] + pixels[i + 1] + pixels[i + 2]) / 3;
  return sum / (pixels.length / 4);
}"""


def edge_darkening(page, box) -> dict:
    """How much darker each edge strip of the scrolling box is with its background (the
    shadows) than without it: the text over the strips is the same in both shots."""

    def means():
        rect = box.bounding_box()
        strips = {
            "left": {"x": rect["x"] + 1, "y": rect["y"], "width": 6, "height": rect["height"]},
            "right": {
                "x": rect["x"] + rect["width"] - 7,
                "y": rect["y"],
                "width": 6,
                "height": rect["height"],
            },
        }
        return {
            side: page.evaluate(
                _MEAN, base64.b64encode(page.screenshot(clip=clip, animations="disabled")).decode()
            )
            for side, clip in strips.items()
        }

    shaded = means()
    box.evaluate("e => { e.style.backgroundImage = 'none'; }")
    plain = means()
    box.evaluate("e => { e.style.backgroundImage = ''; }")
    return {side: plain[side] - shaded[side] for side in shaded}


def edge_contrast(page, box) -> dict:
    """How far each edge strip of the scrolling box is from what it is without its background
    (the shadows): darker on a light page, lighter on a dark one."""
    return {side: abs(change) for side, change in edge_darkening(page, box).items()}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_log_shows_a_shadow_where_more_columns_are(site, page, scheme):
    month_of_sessions(count=8)
    page.emulate_media(color_scheme=scheme)
    admin_login(page, site, "admin")
    page.goto(f"{site}/admin/login_as_customer/log/")
    box = page.locator(".sa-table-scroll")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth + 40")  # it does scroll
    # The reason is not a sliver of one word a line.
    assert (
        page.locator(".sa-log-table td:nth-child(8)").first.evaluate(
            "e => e.getBoundingClientRect().width"
        )
        >= 120
    )

    at_start = edge_contrast(page, box)
    assert at_start["right"] > 4, at_start  # more to the right
    assert abs(at_start["left"]) < 0.5, at_start  # nothing to the left

    box.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    at_end = edge_contrast(page, box)
    assert at_end["left"] > 4, at_end
    assert abs(at_end["right"]) < 0.5, at_end

    # Wide enough for the table (the menu closed), no shadow at all.
    page.set_viewport_size({"width": 1600, "height": 900})
    box.evaluate("e => { e.scrollLeft = 0; }")
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth")
    wide = edge_contrast(page, box)
    assert abs(wide["left"]) < 0.5 and abs(wide["right"]) < 0.5, wide
