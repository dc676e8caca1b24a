"""What the baseline arms and the trust map add to the CPU demo: measured pieces, then an estimate.

Measures, at the demo's sizes (phantoms of ``conf/base``: 256 px working-size images, 64 px
tiles with 16 px overlap, SynDiff's tiny preset, the demo nnU-Net planner):

- seconds per training iteration of ``nnUNetTrainerAxonDemo`` (every nnU-Net arm) and of
  ``nnUNetTrainerAxonDemoDA5`` (the augmentation arm), on the phantom SEM dataset;
- tiles per second of the diffusive translator and of the non-diffusive (ResNet) one;
- seconds to histogram-match one image; seconds of a KID on the demo's patch counts.

It then prints the demo time each addition costs with the demo schedule (``--epochs`` x
``--iterations`` per nnU-Net training, ``--test-images`` held-out images, ``--train-images``
source training images, ``--draws`` trust-map draws). Untrained weights: cost does not depend on them.

    OMP_NUM_THREADS=2 .venv/bin/python benchmarks/baseline_arms.py
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np


def _iteration_seconds(base: Path, trainer: str, iterations: int) -> float:
    from axondeepsynth.nnunet.planning import PlanningSettings, plan_and_preprocess
    from axondeepsynth.nnunet.training import TrainingSettings, train_fold

    plan = plan_and_preprocess(base, 501, PlanningSettings(planner="nnUNetPlannerAxonCPU", num_processes=1))
    settings = TrainingSettings(trainer=trainer, num_epochs=1, iterations_per_epoch=iterations,
                                val_iterations_per_epoch=1, save_every=100, device="cpu", validate=False,
                                continue_training=False)
    result = train_fold(base, plan["dataset_name"], plan["plans_identifier"], plan["configuration"], "all",
                        settings, num_processes=1)
    return result["history"]["epoch_seconds"][0] / iterations


def _tiles_per_second(translate_fn, tiles: np.ndarray, repeats: int = 3) -> float:
    started = time.perf_counter()
    for _ in range(repeats):
        translate_fn(tiles, list(range(len(tiles))))
    return repeats * len(tiles) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--test-images", type=int, default=3)
    parser.add_argument("--train-images", type=int, default=9)
    parser.add_argument("--tiles-per-image", type=int, default=25)
    parser.add_argument("--draws", type=int, default=4)
    parser.add_argument("--measure-iterations", type=int, default=6)
    args = parser.parse_args()


    from axondeepsynth.evaluation.kid import EncoderFeatures, kid_between_images
    from axondeepsynth.imaging.image_io import read_grayscale
    from axondeepsynth.nnunet.environment import activate_nnunet_environment
    from axondeepsynth.phantoms import PhantomConfig, write_phantom_tree
    from axondeepsynth.translation.histogram_matching import intensity_reference, match_to_reference
    from axondeepsynth.translation.model_translation import load_model_translation
    from axondeepsynth.translation.non_diffusive_translation import load_non_diffusive_translation
    from axondeepsynth.translation.untrained_checkpoint import write_untrained_checkpoint

    root = Path(tempfile.mkdtemp(prefix="baseline_arms_"))
    try:
        phantoms = root / "phantoms"
        write_phantom_tree(PhantomConfig(), phantoms)
        raw = phantoms / "nnunet"
        sem = [read_grayscale(p) for p in sorted((raw / "Dataset501_PHANTOM_SEM" / "imagesTr").glob("*.png"))]
        tem = [read_grayscale(p) for p in sorted((raw / "Dataset502_PHANTOM_TEM" / "imagesTs").glob("*.png"))]

        seconds = {}
        for trainer in ("nnUNetTrainerAxonDemo", "nnUNetTrainerAxonDemoDA5"):
            base = root / f"nnunet_{trainer}"
            activate_nnunet_environment(base, num_processes=1)
            shutil.copytree(raw / "Dataset501_PHANTOM_SEM", base / "nnUNet_raw" / "Dataset501_PHANTOM_SEM")
            seconds[trainer] = _iteration_seconds(base, trainer, args.measure_iterations)
            print(f"{trainer}: {seconds[trainer]:.2f} s per training iteration (incl. augmentation)")

        store = write_untrained_checkpoint(root / "syndiff", "bench", ("sem", "tem"), preset_name="tiny")
        tiles = np.random.default_rng(0).uniform(-1, 1, (8, 1, 64, 64)).astype(np.float32)
        diffusive = load_model_translation(store, "bench", "latest", "tem", ["cpu"]).translate_fn
        one_pass = load_non_diffusive_translation(store, "bench", "latest", "tem", ["cpu"]).translate_fn
        diffusive_rate = _tiles_per_second(diffusive, tiles)
        one_pass_rate = _tiles_per_second(one_pass, tiles)
        print(f"diffusive translator: {diffusive_rate:.1f} tiles/s; non-diffusive: {one_pass_rate:.1f} tiles/s")

        started = time.perf_counter()
        reference = intensity_reference(sem)
        for image in tem:
            match_to_reference(image, reference)
        matching = time.perf_counter() - started
        print(f"histogram matching: {matching:.2f} s for {len(tem)} images (reference from {len(sem)})")

        from dynamic_network_architectures.architectures.unet import PlainConvUNet
        from torch import nn
        network = PlainConvUNet(1, 6, [16, 32, 64, 128, 128, 128], nn.Conv2d, 3, [1, 2, 2, 2, 2, 2], 2, 3, 2,
                                norm_op=nn.InstanceNorm2d, nonlin=nn.LeakyReLU)
        started = time.perf_counter()
        kid_between_images(sem, tem, EncoderFeatures(network), patch_size=64, patches_per_image=32)
        kid_seconds = time.perf_counter() - started
        print(f"KID ({len(sem)} vs {len(tem)} images, 32 patches each): {kid_seconds:.2f} s")

        training = args.epochs * args.iterations
        test_tiles = args.test_images * args.tiles_per_image
        train_tiles = args.train_images * args.tiles_per_image
        additions = {
            "histogram_matching (matching; prediction as no_adaptation)": matching,
            "augmentation (DA5 training of the demo schedule)": training * seconds["nnUNetTrainerAxonDemoDA5"],
            "non_diffusive adaptation (one-pass translation)": test_tiles / one_pass_rate,
            "non_diffusive tutorship (one-pass translation + demo nnU-Net training)":
                train_tiles / one_pass_rate + training * seconds["nnUNetTrainerAxonDemo"],
            f"trust map of adaptation ({args.draws} draws + 1 reverse)": (args.draws + 1) * test_tiles / diffusive_rate,
            "KID per translating arm": kid_seconds,
        }
        for what, value in additions.items():
            print(f"  + {value:7.1f} s  {what}")
        print(f"  = {sum(additions.values()):7.1f} s added to the demo, plus nnU-Net prediction of "
              f"{args.test_images} images for each of the 4 new scored arms and validation/planning overheads")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
