"""Infrastructure shared by Podium's processes: settings, composition root, clock, transcoder,
payment gateway, password hashing, mail transport and the command-line tool."""
