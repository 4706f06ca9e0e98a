"""Polling for tests that watch other processes (workers, a browser) change something."""
import time


def wait_for(condition, timeout, interval=0.1):
    """Call `condition` until it returns something truthy and return that; fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
