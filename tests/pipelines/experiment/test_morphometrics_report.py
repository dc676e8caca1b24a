"""The experiment's morphometrics node on real SEM ground truth: a perfect arm and a biased one."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure
from scipy.ndimage import binary_dilation

from axondeepsynth.imaging.image_io import read_label_map
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.parameters.segmentation import EvaluationParams
from axondeepsynth.pipelines.experiment.morphometrics_report import compare_arm_morphometrics


def test_each_arm_gets_a_row_a_markdown_line_and_figure_panels(real_data_dir: Path):
    records = discover_images(real_data_dir / "sem_bids", modality="sem")[:2]
    cases = {r.sample: {"image": str(r.path), "label": str(r.label_path), "pixel_size_um": r.pixel_size_um}
             for r in records}
    truth = {r.sample: read_label_map(r.label_path) for r in records}
    eroded = {}
    for name, labels in truth.items():  # axons lose a pixel to the myelin: smaller g-ratio
        shrunk = labels.copy()
        shrunk[(labels == 2) & binary_dilation(labels != 2)] = 1
        eroded[name] = shrunk
    table, markdown, figure = compare_arm_morphometrics(
        EvaluationParams(min_iou=0.5, min_axon_area_px=4, overlay_images=0),
        oracle_masks=truth, oracle_cases=cases, tutorship_masks=eroded, tutorship_cases=cases)
    rows = table.set_index("arm")
    assert list(rows.index) == ["tutorship", "oracle"]
    assert rows.loc["oracle", "g_ratio_bias"] == 0 and rows.loc["oracle", "aggregate_g_ratio_mae"] == 0
    assert rows.loc["tutorship", "g_ratio_bias"] < -0.02 and rows.loc["tutorship", "axon_diameter_bias"] < 0
    assert "| tutorship" in markdown and "g-ratio bias" in markdown
    assert isinstance(figure, Figure) and len(figure.axes) == 8
