import re

from django.contrib.staticfiles import finders


def test_every_asset_the_layout_links_is_served_by_the_app(client, world):
    """CSS and JS come from the app itself (vendored), never from another host."""
    pages = [client.get("/accounts/login/")]
    client.force_login(world.intake)
    pages.append(client.get("/registry/"))
    for page in pages:
        html = page.content.decode()
        assets = re.findall(r'(?:href|src)="([^"]+\.(?:css|js|svg))"', html)
        assert any("bootstrap.min.css" in a for a in assets)
        for asset in assets:
            assert asset.startswith("/static/"), asset
            assert finders.find(asset.removeprefix("/static/")), asset


def test_static_files_are_served_in_local_runs(client):
    response = client.get("/static/vendor/bootstrap/bootstrap.min.css")
    assert response.status_code == 200
