# The image of the stsgate GitHub Action: one static binary and the CA
# bundle, nothing else. scripts/rootfs-smoke.sh builds the same binary with
# the same flags and runs it in a root holding only these two files, which
# is how this image is tested on machines without a Docker engine.
#
# The runner builds this file on every run of `uses: ./` or of a tag whose
# action.yml says `image: Dockerfile`, natively on the runner's
# architecture; releases push a prebuilt multi-arch image instead
# (.github/workflows/release.yml, docs/action.md), built from the Go image
# pinned by digest: the release workflow resolves the tag below to its
# digest and passes GO_IMAGE=golang:<tag>@sha256:<digest>, which the
# image's provenance records. Dependabot (docker) proposes new tags.

ARG GO_IMAGE=golang:1.26.8-bookworm
FROM ${GO_IMAGE} AS build
# Set by BuildKit (buildx --platform linux/amd64,linux/arm64); empty with
# the classic builder, where Go then builds for the machine it runs on.
ARG TARGETOS
ARG TARGETARCH
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w" -o /out/stsgate ./cmd/stsgate

FROM scratch
# crypto/x509 reads this file first on Linux; it verifies the policy hosts
# (https://mta-sts.<domain>), the report URLs and the GitHub API.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/stsgate /stsgate
# No USER: the runner mounts the workspace and the file-command files
# (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY under /github/file_commands) owned
# by the runner's user, and GitHub's docs require container actions to run
# as the default user, root; with another user the step cannot write its
# outputs and summary (PermissionError on /github/file_commands/set_output_*
# in actions that set USER). No WORKDIR either: the runner passes
# --workdir /github/workspace. Docker gives even a scratch container an
# /etc/resolv.conf, which the DNS checks read.
ENTRYPOINT ["/stsgate", "action"]
