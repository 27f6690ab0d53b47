"""Varnish for the edge tests.

`varnish` starts varnishd (deploy/varnish/default.vcl) in front of a backend
the test names, and stops it when the module's tests are done:

    @pytest.mark.varnish
    def test_something(varnish):
        edge = varnish(backend_port=8000, purge_token="t0ken")
        ...  # edge.url, edge.purge_token

Without varnishd the test is skipped, which under CI=true is a failure (the
root conftest.py): CI installs Varnish (.ci/run).
"""

import pytest

from broadsheet.edge.varnish import VarnishProcess, varnishd_path


@pytest.fixture(scope="module")
def varnish():
    if varnishd_path() is None:
        pytest.skip("varnishd not installed (apt-get install varnish varnish-modules)")
    started = []

    def start(*, backend_port, backend_host="127.0.0.1", **options):
        edge = VarnishProcess(backend_host=backend_host, backend_port=backend_port, **options)
        started.append(edge)
        return edge.start()

    yield start
    for edge in started:
        edge.stop()
