"""Error pages are themed pages with a way on, never Werkzeug's plain text or a traceback."""


def test_a_form_without_its_csrf_token_gets_a_themed_page(client):
    response = client.post("/auth/logout", data={"next": "/"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This form has expired. Please go back, reload the page and send it again." in html
    assert 'class="site-header"' in html and "Go to the home page" in html
    assert "Traceback" not in html


def test_wrong_method_gets_a_themed_page(client):
    response = client.post("/healthz")
    html = response.get_data(as_text=True)
    assert response.status_code == 405
    assert "That method is not allowed here." in html and 'class="site-header"' in html
