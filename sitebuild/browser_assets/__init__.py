"""The Node/Pyodide stage: the engine for the browser (runtime copy, wheel, bytecode, memory snapshot)."""
