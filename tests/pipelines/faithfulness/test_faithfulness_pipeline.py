"""The faithfulness pipeline through Kedro's SequentialRunner.

CI runs the summary and figure nodes on a table scored from phantom label maps, and the scoring
node with an nnU-Net oracle trained for two iterations on the phantom TEM dataset, at another pixel
size than the translations; the whole pipeline with such an oracle is marked slow.
"""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from kedro.io import DataCatalog, MemoryDataset
from kedro.runner import SequentialRunner
from kedro_datasets.pandas import CSVDataset
from matplotlib.figure import Figure

from axondeepsynth.artifacts.nnunet_raw import NnUNetRawHandle
from axondeepsynth.evaluation.faithfulness import faithfulness_of_image
from axondeepsynth.evaluation.faithfulness_examples import FaithfulnessExample
from axondeepsynth.evaluation.faithfulness_table import faithfulness_score, faithfulness_table
from axondeepsynth.imaging.image_io import read_grayscale, read_label_map
from axondeepsynth.imaging.sources import discover_images
from axondeepsynth.nnunet.environment import NnUNetPaths, dataset_folder_name
from axondeepsynth.nnunet.planning import PlanningSettings, plan_and_preprocess
from axondeepsynth.nnunet.prediction import (
    PredictionSettings,
    load_predictor,
    model_modality,
    model_pixel_size_um,
    segment_image,
)
from axondeepsynth.nnunet.raw_dataset import RawCase, write_raw_dataset
from axondeepsynth.nnunet.training import TrainingSettings, train_fold
from axondeepsynth.parameters.segmentation import FOLD_SLOTS
from axondeepsynth.pipelines.faithfulness.pipeline import create_pipeline

TUTORSHIP = create_pipeline().only_nodes_with_namespaces(["tutorship"])
PREDICTION = {"use_mirroring": False, "device": "cpu"}


def _catalog(manifest, oracle_plan: dict, oracle_folds: dict, params: dict, add_parameters,
             **datasets) -> DataCatalog:
    catalog = DataCatalog()
    catalog["tutorship.nnunet_raw"] = MemoryDataset(NnUNetRawHandle(manifest.output_dir, 201, {}, manifest),
                                                    copy_mode="assign")
    catalog["oracle.nnunet_plan"] = MemoryDataset(oracle_plan)
    for slot in FOLD_SLOTS:
        catalog[f"oracle.nnunet_fold_{slot}"] = MemoryDataset(oracle_folds.get(slot, {"fold": slot, "skipped": True}))
    for name, value in datasets.items():
        catalog[f"tutorship.{name}"] = MemoryDataset(value, copy_mode="assign")
    return add_parameters(catalog, params)


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


def test_summary_and_figure_nodes_warn_and_give_mlflow_metrics(tutorship_manifest, shipped_parameters,
                                                               add_parameters, caplog):
    table, examples = _label_level_results(tutorship_manifest)
    pipeline = TUTORSHIP.only_nodes("tutorship.summarise_translations", "tutorship.plot_worst_translations")
    catalog = _catalog(tutorship_manifest, {}, {}, shipped_parameters(), add_parameters,
                       faithfulness_table=table, faithfulness_examples=examples)
    with caplog.at_level(logging.WARNING):
        SequentialRunner().run(pipeline, catalog)
    summary = catalog.load("tutorship.faithfulness_summary")
    shifted = [name for name in table["image"] if table.set_index("image").loc[name, "dice_myelin"] < 0.9]
    assert shifted and sorted(summary["unfaithful"]) == sorted(shifted)
    assert table["image"].iloc[0] not in summary["unfaithful"]
    assert all(name in caplog.text for name in shifted)
    assert summary["mean_dice_axon"] == pytest.approx(table["dice_axon"].mean())
    logged = catalog.load("tutorship.faithfulness_mlflow")
    assert logged["mean_dice_axon"] == {"value": pytest.approx(summary["mean_dice_axon"]), "step": 0}
    assert logged["unfaithful_images"]["value"] == len(shifted)
    figure = catalog.load("tutorship.faithfulness_figure")
    assert isinstance(figure, Figure) and len(figure.get_axes()) == 3 * 5
    assert "sem -> tem" in figure._suptitle.get_text()


def test_scoring_refuses_an_oracle_that_was_never_trained(tutorship_manifest, shipped_parameters, add_parameters):
    plan = {"dataset_name": "Dataset502_PHANTOM_TEM", "base_dir": "unused"}
    catalog = _catalog(tutorship_manifest, plan, {}, shipped_parameters(), add_parameters)
    with pytest.raises(Exception, match="oracle 'Dataset502_PHANTOM_TEM' has no trained fold"):
        SequentialRunner().run(TUTORSHIP, catalog)


def _copy_phantom_tem(phantom_root: Path, base: Path) -> int:
    """The phantom tree's TEM dataset as it is (its ``dataset.json`` records no pixel size); its id."""
    shutil.copytree(phantom_root / "nnunet" / "Dataset502_PHANTOM_TEM", base / "nnUNet_raw" / "Dataset502_PHANTOM_TEM")
    return 502


def _export_phantom_tem(phantom_root: Path, base: Path) -> int:
    """The TEM phantoms exported as ``nnunet_export`` does (``dataset.json`` records their 0.05 um/px
    and the modality); its id."""
    cases = [RawCase(r.sample, r.path, r.label_path, test=False, subject=r.group, pixel_size_um=r.pixel_size_um)
             for r in discover_images(phantom_root / "tem_bids", modality="tem")]
    write_raw_dataset(NnUNetPaths(base).raw / dataset_folder_name(503, "PHANTOM_TEM"), 503, cases, "tem")
    return 503


def _train_tiny_oracle(base: Path, dataset_id: int) -> tuple[dict, dict]:
    """nnU-Net on a phantom TEM dataset (the target modality), fold 'all', 1 epoch of 2 iterations."""
    plan = plan_and_preprocess(base, dataset_id, PlanningSettings(planner="nnUNetPlannerAxonCPU", num_processes=1))
    fold = train_fold(base, plan["dataset_name"], plan["plans_identifier"], plan["configuration"], "all",
                      TrainingSettings(num_epochs=1, iterations_per_epoch=2, val_iterations_per_epoch=1, device="cpu",
                                       validate=False), num_processes=1)
    return {**plan, "base_dir": str(base)}, fold


@pytest.mark.slow
def test_pipeline_scores_every_translation_with_a_trained_oracle(tutorship_manifest, phantom_root, tmp_path,
                                                                 shipped_parameters, add_parameters):
    plan, fold = _train_tiny_oracle(tmp_path / "nnunet", _copy_phantom_tem(phantom_root, tmp_path / "nnunet"))
    params = shipped_parameters(inputs={"paired": str(phantom_root / "paired")},
                                segmentation={"prediction": PREDICTION}, faithfulness={"pixel_size_um": 0.1})
    catalog = _catalog(tutorship_manifest, plan, {"all": fold}, params, add_parameters)
    catalog["tutorship.faithfulness_table"] = CSVDataset(filepath=str(tmp_path / "per_image.csv"),
                                                         save_args={"index": False})
    started = time.perf_counter()
    SequentialRunner().run(TUTORSHIP, catalog)
    seconds = time.perf_counter() - started

    table = catalog.load("tutorship.faithfulness_table")
    assert len(table) == len(tutorship_manifest.outputs) == 6
    assert (table["length_unit"] == "um").all() and np.allclose(table["pixel_size_um"], 0.1)
    for column in ("dice_myelin", "dice_axon", "axon_recall", "ssim"):
        assert table[column].between(0, 1).all(), column
    assert (table["fibres_matched"] + table["fibres_lost"] == table["num_axons_carried"]).all()
    assert (table["fibres_matched"] + table["fibres_invented"] == table["num_axons_predicted"]).all()
    # the 'translations' are the paired renderings themselves: PSNR against them is infinite
    assert np.isinf(table["psnr_db"]).all() and (table["ssim"] == 1.0).all()
    summary = catalog.load("tutorship.faithfulness_summary")
    assert summary["images"] == 6
    scores = {row["image"]: faithfulness_score(row, summary["thresholds"]) for row in table.to_dict("records")}
    expected = sorted(scores, key=lambda name: (scores[name], name))[:3]
    first_panels = catalog.load("tutorship.faithfulness_figure").get_axes()[::5]
    assert [axis.get_title().split(" ")[0] for axis in first_panels] == expected
    print(f"faithfulness of 6 phantom translations with a 2-iteration oracle: {seconds:.1f} s; means "
          f"{ {k: round(v, 3) for k, v in summary.items() if k.startswith('mean_') and v is not None} }")


def test_translations_are_segmented_at_the_oracles_pixel_size(sized_tutorship_manifest, tutorship_manifest,
                                                              phantom_root, tmp_path, shipped_parameters,
                                                              add_parameters):
    """Translations at 0.1 um/px (recorded by their tutorship dataset) scored by an oracle trained at
    0.05 um/px: each is segmented at twice its size, as segmentation predicts, and its mask comes
    back at its own size; a translation of unknown size under this oracle names the parameter."""
    base = tmp_path / "nnunet"
    plan, fold = _train_tiny_oracle(base, _export_phantom_tem(phantom_root, base))
    params = shipped_parameters(inputs={"paired": str(phantom_root / "paired")},
                                segmentation={"prediction": PREDICTION}, faithfulness={"figure_images": 6})
    catalog = _catalog(sized_tutorship_manifest, plan, {"all": fold}, params, add_parameters)
    SequentialRunner().run(TUTORSHIP.only_nodes("tutorship.score_translations"), catalog)

    table = catalog.load("tutorship.faithfulness_table")
    assert len(table) == 6 and (table["length_unit"] == "um").all() and np.allclose(table["pixel_size_um"], 0.1)
    assert model_pixel_size_um(fold["model_dir"]) == pytest.approx(0.05) and model_modality(fold["model_dir"]) == "tem"
    oracle = load_predictor(fold["model_dir"], ["all"], PredictionSettings(**PREDICTION))
    examples = catalog.load("tutorship.faithfulness_examples")
    assert len(examples) == 6
    as_given = 0
    for example in examples:
        assert example.oracle_prediction.shape == example.translation.shape == example.carried_labels.shape
        np.testing.assert_array_equal(example.oracle_prediction, segment_image(oracle, example.translation, 2.0))
        as_given += np.array_equal(example.oracle_prediction, segment_image(oracle, example.translation))
    assert as_given < len(examples)  # the oracle sees something else at its own pixel size

    unsized = _catalog(tutorship_manifest, plan, {"all": fold}, params, add_parameters)
    with pytest.raises(Exception, match=r"no known pixel size.*0\.05 um/px.*faithfulness\.pixel_size_um"):
        SequentialRunner().run(TUTORSHIP.only_nodes("tutorship.score_translations"), unsized)
