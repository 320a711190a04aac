"""The engine-outputs section of docs/data-contract.md is the one outputs.py generates."""

from cheepao.engine import outputs


def test_data_contract_documents_the_current_outputs():
    text = outputs.DOC.read_text(encoding="utf-8")
    assert outputs.document(text) == text, "run: python -m cheepao.engine.outputs --write"
