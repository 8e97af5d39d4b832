# The image the Kubernetes manifests in ci/k8s/ use: docker build -t probestorm .
# It runs the README's first command: ci/setup (packages + build), then `build/probestorm run`.
FROM debian:12
WORKDIR /src
COPY . /src
RUN ci/setup
CMD ["build/probestorm", "run"]
