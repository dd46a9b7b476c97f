# One image for every Podium process; the compose command picks the subcommand.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY . .
# Editable, so migrations/ (SQL beside the packages, not inside one) is found where it is.
RUN pip install -e . && useradd --system --home /app podium && mkdir -p var && chown podium var
# Never run the server as root.
USER podium
EXPOSE 8000
ENTRYPOINT ["podium"]
CMD ["serve"]
