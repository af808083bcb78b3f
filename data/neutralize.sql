-- forget the QuickBooks Online credentials: a neutralized copy must never reach the real companies
UPDATE qbo_connection
   SET client_secret = NULL,
       verifier_token = NULL,
       access_token = NULL,
       access_token_expires_at = NULL,
       refresh_token = NULL,
       oauth_nonce = NULL,
       state = 'not_connected';
