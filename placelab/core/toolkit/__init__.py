"""The toolkit: a self-assessment that diagnoses where a place stands and what to do next.

It implements Appendices A and B and chapters 4 and 5 of the NESTA / Young Foundation report
(lifecycle phase, critical factors, strategic triangle, pitfalls, progression and questions;
methods for supporting innovation from 2.5 and 6) and PASCAL's conditions for social innovation
(opportunity, motivation and resources). The content lives in ``data/`` as versioned JSON, each
entry citing the seed passage it rests on.
"""

from placelab.core.toolkit.answers import Answers, answers_from_table, read_answers
from placelab.core.toolkit.bank import ItemBank, bank_versions, load_bank, read_study_items
from placelab.core.toolkit.diagnosis import (
    DiagnosisParameters,
    diagnose,
    diagnose_files,
    write_diagnosis,
)
from placelab.core.toolkit.scoring import cronbach_alpha

__all__ = [
    "Answers",
    "DiagnosisParameters",
    "ItemBank",
    "answers_from_table",
    "bank_versions",
    "cronbach_alpha",
    "diagnose",
    "diagnose_files",
    "load_bank",
    "read_answers",
    "read_study_items",
    "write_diagnosis",
]
