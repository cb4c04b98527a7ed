"""What the page needs to draw itself: the weight tree, the outcomes and its words."""
from __future__ import annotations

from ..report.words import language, words
from .session import MAX_DRAWS, Session, keeps_total


def page_setup(session: Session) -> dict:
    assessment = session.baseline.assessment
    spec = assessment.spec
    word = words(spec)
    nodes = []

    def visit(node, parent, depth):
        nodes.append({"id": node.id, "label": assessment.label(node.id), "weight": node.weight,
                      "parent": parent, "depth": depth, "group": bool(node.is_group)})
        for child in node.children or []:
            visit(child, node.id, depth + 1)

    for top in spec.indicators:
        visit(top, None, 0)
    page_words = {key[len("serve."):]: value for key, value in word.items() if key.startswith("serve.")}
    for key in ("rank", "total", "unit", "outcome", "spearman", "kendall", "enters", "leaves", "none",
                "exempt", "excluded", "median_rank", "probability", "verdict", "robust", "borderline"):
        page_words[key] = word[key]
    return {"title": spec.title, "language": language(spec), "full_score": spec.full_score,
            "precision": spec.precision, "nodes": nodes,
            "outcomes": [{"id": o.id, "label": o.title} for o in spec.outcomes], "words": page_words,
            "max_draws": MAX_DRAWS, "keep_total": keeps_total()}
