"""`tito test`: run a module's inline tests and its pytest tests, and report them.

`run_module_tests(project, module)` exports the module first when its
package file is older than its source, runs the source's inline tests in a
child process (`tito.testing.child`), then the module's pytest files in a
pytest subprocess with tito's plugin (`tito.testing.pytest_plugin`). Both
processes stop a test that runs past the time limit, survive tests that end
the process, and report student stubs by name.
"""

from __future__ import annotations

from tito.testing.report import PartResult, TestResult
from tito.testing.runner import DEFAULT_TIMEOUT, ModuleResult, run_module_tests

__all__ = [
    "DEFAULT_TIMEOUT",
    "ModuleResult",
    "PartResult",
    "TestResult",
    "run_module_tests",
]
