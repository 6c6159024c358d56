from . import test_face_value
