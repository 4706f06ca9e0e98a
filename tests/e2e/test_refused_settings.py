"""A refused number in a real browser, on a 1024x768 projector: the browser sends what was typed
(no red mark that explains itself only on hover), and the page answers in words next to the
field and above the summary, keeping the model as it was."""
from playwright.sync_api import expect

from tests.e2e.server import open_url, wait_idle


def test_units_typed_out_of_range_are_explained_and_the_model_kept(server, projector):
    page = projector()
    open_url(page, f"{server.url}/build")
    units = page.get_by_label("Units", exact=True)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("328,353")
    for typed in ("0", "100000"):
        units.fill(typed)
        units.press("Enter")
        wait_idle(page)
        reason = page.get_by_test_id("stAlert").filter(
            has_text=f"Layer 1 units is {typed}, but it must be a whole number from 1 to 1,024")
        expect(reason).to_be_visible()
        # In the layer's box: the nearest block around the units box that holds the message
        # is the layer's own (it has the layer's heading, not the page's summary).
        box = units.locator("xpath=ancestor::div[@data-testid='stVerticalBlock']"
                            "[.//div[@data-testid='stAlert']][1]")
        expect(box).to_contain_text("Layer 1")
        expect(box).not_to_contain_text("Model summary")
        expect(page.get_by_text("The model below did not change: it still has 32 units in "
                                "layer 1.")).to_be_visible()
        expect(page.get_by_test_id("stMetricValue").first).to_have_text("328,353")
        expect(units).to_have_value("32")  # sprang back
    assert "units=" not in page.url  # the link still holds the default model
