#include "ap-media-params.h"

#include <string.h>

ApMediaParams *
ap_media_params_new (void)
{
  ApMediaParams *params = g_new0 (ApMediaParams, 1);

  params->dtmf_payload_type = -1;
  params->ptime = 20;
  params->channels = 1;
  params->direction = AP_MEDIA_DIRECTION_SENDRECV;
  return params;
}

ApMediaParams *
ap_media_params_copy (const ApMediaParams *params)
{
  ApMediaParams *copy = g_memdup2 (params, sizeof *params);

  copy->remote_address = g_strdup (params->remote_address);
  copy->codec = g_strdup (params->codec);
  copy->fmtp = g_strdup (params->fmtp);
  copy->video = params->video ? ap_media_params_copy (params->video) : NULL;
  return copy;
}

void
ap_media_params_free (ApMediaParams *params)
{
  if (params == NULL)
    return;
  g_free (params->remote_address);
  g_free (params->codec);
  g_free (params->fmtp);
  ap_media_params_free (params->video);
  /* Keys do not linger in freed memory. */
  explicit_bzero (params->srtp_local_key, sizeof params->srtp_local_key);
  explicit_bzero (params->srtp_remote_key, sizeof params->srtp_remote_key);
  g_free (params);
}
