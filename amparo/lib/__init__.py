"""Small plain helpers shared by the apps."""
