"""Statistics: the panel's Statistics tab over the rooms and attendance read models, now or as
of any past instant (decision 0028)."""
