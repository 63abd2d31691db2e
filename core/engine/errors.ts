export class EngineError extends Error {
  override name = 'EngineError';
}

export const TORCH_INSTALL_HINT =
  'install PyTorch and Jinja2 for Python 3: on Debian/Ubuntu `sudo apt-get install -y python3-torch libopenblas0-pthread python3-jinja2` ' +
  '(`npm start` and `npm test` do this for you), elsewhere `pip install torch jinja2`; ' +
  'or point TANDEM_PYTHON at a Python that has them';
