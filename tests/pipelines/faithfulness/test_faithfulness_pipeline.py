"""The faithfulness pipeline through Kedro's SequentialRunner.

CI runs the summary and figure nodes on a table scored from phantom label maps; the whole
pipeline, with an nnU-Net oracle trained for a few iterations on the phantom TEM dataset
(about a minute on 2 CPU cores), is marked slow.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from kedro_datasets.pandas import CSVDataset
from matplotlib.figure import Figure

from axondeepsynth.evaluation.faithfulness import faithfulness_of_image
from axondeepsynth.evaluation.faithfulness_examples import FaithfulnessExample
from axondeepsynth.evaluation.faithfulness_table import faithfulness_score, faithfulness_table
from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.nnunet.planning import PlanningSettings, plan_and_preprocess
from axondeepsynth.nnunet.training import TrainingSettings, train_fold
from axondeepsynth.pipelines.faithfulness.pipeline import create_pipeline


def _catalog(manifest, params: dict, oracle: dict, **datasets) -> DataCatalog:
    catalog = DataCatalog()
    catalog["translation_output"] = MemoryDataset(manifest, copy_mode="assign")
    catalog["params:faithfulness"] = MemoryDataset(params)
    catalog["params:faithfulness.oracle"] = MemoryDataset(oracle)
    for name, value in datasets.items():
        catalog[name] = MemoryDataset(value, copy_mode="assign")
    return catalog


def _label_level_results(manifest) -> tuple[pd.DataFrame, list[FaithfulnessExample]]:
    """Score each translated phantom against its carried labels moved down by 0, 1, 2... pixels."""
    rows, examples = [], []
    for index, translation_path in enumerate(sorted(manifest.outputs)):
        name = Path(translation_path).name.removesuffix("_0000.png")
        carried = read_label_map(Path(manifest.output_dir) / "labelsTr" / f"{name}.png")
        moved = np.zeros_like(carried)
        moved[index:] = carried[:carried.shape[0] - index]
        rows.append({"image": name, **faithfulness_of_image(carried, moved)})
        translation = read_grayscale(translation_path)
        examples.append(FaithfulnessExample(name, 1.0 - index / 10, read_grayscale(manifest.outputs[translation_path]),
                                            translation, carried, moved))
    return faithfulness_table(rows), examples[::-1][:3]


def test_summary_and_figure_nodes_warn_and_log_to_mlflow(tutorship_manifest, faithfulness_params, oracle_params,
                                                         caplog):
    table, examples = _label_level_results(tutorship_manifest)
    pipeline = create_pipeline().only_nodes("summarise_translations", "plot_worst_translations")
    faithfulness_params["mlflow_prefix"] = "tutorship_faithfulness"
    catalog = _catalog(tutorship_manifest, faithfulness_params, oracle_params,
                       faithfulness_table=table, faithfulness_examples=examples)
    with mlflow.start_run() as run, caplog.at_level(logging.WARNING):
        SequentialRunner().run(pipeline, catalog)
    summary = catalog["faithfulness_summary"].load()
    shifted = [name for name in table["image"] if table.set_index("image").loc[name, "dice_myelin"] < 0.9]
    assert shifted and sorted(summary["unfaithful"]) == sorted(shifted)
    assert table["image"].iloc[0] not in summary["unfaithful"]
    assert all(name in caplog.text for name in shifted)
    assert summary["mean_dice_axon"] == pytest.approx(table["dice_axon"].mean())
    logged = mlflow.get_run(run.info.run_id).data.metrics
    assert logged["tutorship_faithfulness.mean_dice_axon"] == pytest.approx(summary["mean_dice_axon"])
    assert logged["tutorship_faithfulness.unfaithful_images"] == len(shifted)
    figure = catalog["faithfulness_figure"].load()
    assert isinstance(figure, Figure) and len(figure.get_axes()) == 3 * 5
    assert "sem -> tem" in figure._suptitle.get_text()


def test_scoring_refuses_an_oracle_that_was_never_trained(tutorship_manifest, faithfulness_params, oracle_params):
    catalog = _catalog(tutorship_manifest, faithfulness_params, oracle_params)
    with pytest.raises(Exception, match="dataset_id 502: expected one trained dataset"):
        SequentialRunner().run(create_pipeline(), catalog)


def _train_tiny_oracle(phantom_root: Path, base: Path) -> None:
    """nnU-Net on the phantom TEM dataset (the target modality), fold 'all', 1 epoch of 2 iterations."""
    shutil.copytree(phantom_root / "nnunet" / "Dataset502_PHANTOM_TEM", base / "nnUNet_raw" / "Dataset502_PHANTOM_TEM")
    plan = plan_and_preprocess(base, 502, PlanningSettings(num_processes=1))
    train_fold(base, plan["dataset_name"], plan["plans_identifier"], plan["configuration"], "all",
               TrainingSettings(num_epochs=1, iterations_per_epoch=2, val_iterations_per_epoch=1, device="cpu",
                                validate=False), num_processes=1)


@pytest.mark.slow
def test_pipeline_scores_every_translation_with_a_trained_oracle(tutorship_manifest, faithfulness_params,
                                                                 oracle_params, phantom_root, tmp_path):
    _train_tiny_oracle(phantom_root, Path(oracle_params["nnunet"]["base_dir"]))
    faithfulness_params["source_dataset"] = str(phantom_root / "sem_bids")
    catalog = _catalog(tutorship_manifest, faithfulness_params, oracle_params)
    catalog["faithfulness_table"] = CSVDataset(filepath=str(tmp_path / "per_image.csv"), save_args={"index": False})
    started = time.perf_counter()
    SequentialRunner().run(create_pipeline(), catalog)
    seconds = time.perf_counter() - started

    table = catalog["faithfulness_table"].load()
    assert len(table) == len(tutorship_manifest.outputs) == 6
    assert (table["length_unit"] == "um").all() and np.allclose(table["pixel_size_um"], 0.1)
    for column in ("dice_myelin", "dice_axon", "axon_recall", "ssim"):
        assert table[column].between(0, 1).all(), column
    assert (table["fibres_matched"] + table["fibres_lost"] == table["num_axons_carried"]).all()
    assert (table["fibres_matched"] + table["fibres_invented"] == table["num_axons_predicted"]).all()
    # the 'translations' are the paired renderings themselves: PSNR against them is infinite
    assert np.isinf(table["psnr_db"]).all() and (table["ssim"] == 1.0).all()
    summary = catalog["faithfulness_summary"].load()
    assert summary["images"] == 6
    scores = {row["image"]: faithfulness_score(row, summary["thresholds"]) for row in table.to_dict("records")}
    expected = sorted(scores, key=lambda name: (scores[name], name))[:3]
    first_panels = catalog["faithfulness_figure"].load().get_axes()[::5]
    assert [axis.get_title().split(" ")[0] for axis in first_panels] == expected
    print(f"faithfulness of 6 phantom translations with a 2-iteration oracle: {seconds:.1f} s; means "
          f"{ {k: round(v, 3) for k, v in summary.items() if k.startswith('mean_') and v is not None} }")
