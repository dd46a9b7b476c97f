"""Process entry points and the jobs they run: projector, scheduler, mailer."""
