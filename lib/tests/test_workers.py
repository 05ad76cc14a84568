import gc
import weakref

from lib.workers import freeze_loaded_app


class _Node:
    other: object = None


def test_the_loaded_app_is_frozen_out_of_the_collectors_walks_and_new_garbage_still_goes():
    try:
        frozen = freeze_loaded_app()
        assert frozen == gc.get_freeze_count() > 10_000  # the app's modules, views and their objects
        node = _Node()
        node.other = node  # a cycle, freed only by the collector
        ref = weakref.ref(node)
        del node
        gc.collect()
        assert ref() is None  # made after the freeze, collected as before
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
