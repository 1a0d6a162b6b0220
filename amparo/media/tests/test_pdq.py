from __future__ import annotations

import numpy as np
import pdqhash
import pytest
from PIL import Image, ImageFilter

from amparo.media.pdq import (
    MATCH_DISTANCE,
    ORIENTATIONS,
    best_distance,
    distance_matrix,
    hamming,
    image_file_hashes,
    image_hash,
    image_hashes,
    luma_hashes,
    to_array,
)
from amparo.media.sandbox import MediaError
from amparo.media.tests.factory import photo

TRANSPOSES = {
    "rotate90": Image.Transpose.ROTATE_90,
    "rotate180": Image.Transpose.ROTATE_180,
    "rotate270": Image.Transpose.ROTATE_270,
    "mirror": Image.Transpose.FLIP_LEFT_RIGHT,
    "upside_down": Image.Transpose.FLIP_TOP_BOTTOM,
    "transpose": Image.Transpose.TRANSPOSE,
    "transverse": Image.Transpose.TRANSVERSE,
}


def test_it_gives_8_hashes_of_32_bytes_and_the_first_is_the_plain_hash() -> None:
    image = photo(640, 480)
    hashes = image_hashes(image)
    assert len(hashes) == len(ORIENTATIONS) == 8
    assert all(len(bits) == 32 and 0 <= quality <= 100 for bits, quality in hashes)
    assert hashes[0] == image_hash(image)
    assert len({bits for bits, _ in hashes}) == 8


@pytest.mark.parametrize("name", sorted(TRANSPOSES))
def test_it_matches_a_rotated_or_flipped_copy_through_the_dihedral_set(name: str) -> None:
    original = photo(640, 480)
    stored, _quality = image_hash(original)
    copy = original.transpose(TRANSPOSES[name]).filter(ImageFilter.GaussianBlur(1))
    plain_distance = hamming(image_hash(copy)[0], stored)
    distance, _orientation = best_distance(image_hashes(copy), stored)
    assert distance <= MATCH_DISTANCE
    assert plain_distance > MATCH_DISTANCE  # without the rotations it would have been missed


def test_it_matches_a_resized_recompressed_copy(tmp_path) -> None:  # type: ignore[no-untyped-def]  # pytest fixture
    original = photo(1280, 720)
    path = tmp_path / "copy.jpg"
    original.resize((480, 270)).save(path, quality=40)
    with Image.open(path) as copy:
        assert hamming(image_hash(copy)[0], image_hash(original)[0]) <= MATCH_DISTANCE


def test_it_does_not_match_an_unrelated_image() -> None:
    stored, _ = image_hash(photo(640, 480, seed=1))
    distance, _ = best_distance(image_hashes(photo(640, 480, seed=2)), stored)
    assert distance > 2 * MATCH_DISTANCE


def test_hamming_and_distance_matrix_agree() -> None:
    hashes = [image_hash(photo(160, 120, seed=s))[0] for s in range(5)]
    matrix = distance_matrix(to_array(hashes), to_array(hashes))
    for i, a in enumerate(hashes):
        for j, b in enumerate(hashes):
            assert matrix[i, j] == hamming(a, b)
    assert hamming(b"\x00" * 32, b"\xff" * 32) == 256
    with pytest.raises(ValueError):
        hamming(b"\x00", b"\x00\x00")


def test_image_file_hashes_applies_exif_orientation_in_the_sandbox(tmp_path) -> None:  # type: ignore[no-untyped-def]  # pytest fixture
    image = photo(320, 240)
    exif = Image.Exif()
    exif[0x0112] = 6  # display rotated 90 degrees clockwise
    path = tmp_path / "rotated.jpg"
    image.save(path, exif=exif, quality=95)
    hashes = image_file_hashes(path)
    shown = image.transpose(Image.Transpose.ROTATE_270)  # what a viewer shows
    assert hamming(hashes[0][0], image_hash(shown)[0]) <= 10
    assert hamming(hashes[0][0], image_hash(image)[0]) > MATCH_DISTANCE


def test_image_file_hashes_refuses_bombs_and_junk_with_codes(tmp_path) -> None:  # type: ignore[no-untyped-def]  # pytest fixture
    from amparo.media.tests.test_probe import png_bomb

    with pytest.raises(MediaError) as info:
        image_file_hashes(png_bomb(tmp_path / "bomb.png"))
    assert info.value.code == "decompression_bomb"
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"not an image at all" * 10)
    with pytest.raises(MediaError) as info:
        image_file_hashes(junk)
    assert info.value.code == "unsupported_type"


def test_image_file_hashes_scales_down_huge_photos_and_still_matches(tmp_path) -> None:  # type: ignore[no-untyped-def]  # pytest fixture
    big = photo(6000, 4000)
    path = tmp_path / "big.jpg"
    big.save(path, quality=90)
    from_file = image_file_hashes(path, max_memory=512 << 20)  # scaled down, it fits in a small sandbox
    assert hamming(from_file[0][0], image_hash(big.resize((1500, 1000)))[0]) <= 12


@pytest.mark.parametrize(
    "size", [(17, 17), (36, 128), (64, 64), (72, 100), (144, 256), (255, 257), (360, 640)]
)
def test_luma_hashes_are_pdqhash_hashes_bit_for_bit(size: tuple[int, int]) -> None:
    grey = np.asarray(photo(size[1], size[0], seed=sum(size)).convert("L"))
    pictures = [grey, grey[:, ::-1], grey[size[0] // 4 :, : size[1] // 2 + 9]]
    for picture, (bits, quality) in zip(pictures, luma_hashes(pictures), strict=True):
        vector, expected = pdqhash.compute(np.repeat(np.ascontiguousarray(picture)[:, :, None], 3, axis=2))
        assert (bits, quality) == (np.packbits(vector.astype(np.uint8)).tobytes(), expected)
